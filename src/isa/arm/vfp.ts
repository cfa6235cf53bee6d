// VFPv3-D32 and Advanced SIMD (NEON): instruction defs (in A32 encoding; t32.ts derives the
// Thumb forms) and the run-time helpers their templates call.
//
// State (cpu.ts): D (Float64Array, D0-D31), S (Float32Array, S0-S31 overlapping D0-D15),
// VI (Int32Array over the same bytes: VI[2n] is the low word of Dn), cpu.fpscr.
import type { InsnDef, FieldDef } from '../table.js';
import type { Accessors } from '../../memory/access.js';

export const VFP_FIELDS: Record<string, FieldDef> = {};
export const VFP_DEFS: InsnDef[] = [];

/** The Thumb (T32) form of an A32 VFP/NEON def: same fields, different fixed top bits. */
export function vfpThumbForm(d: InsnDef): InsnDef | null {
  void d;
  return null;
}

/** Helpers for the VFP/NEON templates, bound to a CPU and its memory accessors. */
export function makeVfpEnv(cpu: { D: Float64Array; S: Float32Array; VI: Int32Array; fpscr: number }, acc: Accessors): Record<string, unknown> {
  void cpu;
  void acc;
  return {};
}
