// CPU models (--cpu): test/guest/cpuprobe.c executes one instruction under a model and
// must live or die of SIGILL as under qemu-user's model of the same name
// (test/fixtures/golden/cpuprobe.json, recorded by test/fixtures/build-cpuprobe.sh), and
// /proc/cpuinfo and AT_HWCAP describe the model.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, urunAsync } from './support/urun.js';
import { A32_TABLE } from '../src/isa/arm/a32.js';
import { T32_TABLE } from '../src/isa/arm/t32.js';
import { MIPS_TABLE } from '../src/isa/mips/table.js';
import { ARM_DEFAULT_MODEL, ARM_MODELS } from '../src/isa/arm/models.js';
import { MIPS_DEFAULT_MODEL } from '../src/isa/mips/models.js';

const GOLDEN = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/golden/cpuprobe.json'), 'utf8')) as
  Record<string, Record<string, Record<string, number>>>;
const probe = (arch: string) => path.join(ROOT, 'test/fixtures/bin', arch, 'cpuprobe');
const hello = (arch: string) => path.join(ROOT, 'test/fixtures/bin', arch, 'hello');

/**
 * Where urun knowingly differs from qemu: qemu's arm926 has a VFPv2 coprocessor (the optional
 * VFP9), urun's arm926 has none, as most ARM926EJ-S chips (i.MX2x, AT91SAM9).
 */
const DIFFERS: Record<string, number> = { 'armel arm926 vadd': 132 };

// A sample of the golden matrix that covers every feature bit, kept small for the suite's time.
const CASES: [string, string, string[]][] = [
  ['mips', '4Kc', ['seb', 'rotr', 'fpu']],
  ['mips', '24Kc', ['seb', 'fpu']],
  ['armel', 'arm926', ['rev', 'movw', 'vadd']],
  ['armel', 'arm1176', ['rev', 'movw', 'neon']],
  ['armel', 'cortex-a9', ['sdiv', 'neon']],
  ['armel', 'cortex-a15', ['vfma']],
];

describe('--cpu: instructions beyond the model are SIGILL, as under qemu-user', () => {
  for (const [arch, cpu, insns] of CASES) {
    for (const insn of insns) {
      it.concurrent(`${arch} --cpu ${cpu} ${insn}`, async () => {
        const want = DIFFERS[`${arch} ${cpu} ${insn}`] ?? GOLDEN[arch][cpu][insn];
        const r = await urunAsync(['--cpu', cpu, probe(arch), insn]);
        expect(r.status, r.stderr).toBe(want);
        if (want === 0) {
          expect(r.stdout).toBe('ok\n');
        } else {
          expect(r.stderr).toMatch(/^urun: illegal instruction 0x[0-9a-f]{8} at 0x[0-9a-f]{8}\n$/);
        }
      });
    }
  }

  it.concurrent('Debian armel code runs on an ARMv5TE, armhf (Thumb-2) code does not', async () => {
    const [el, hf] = await Promise.all([
      urunAsync(['--cpu', 'arm926', hello('armel')]),
      // (the flag wins over its environment twin)
      urunAsync(['--cpu', 'arm926', hello('armhf')], { env: { URUN_CPU: 'cortex-a15' } }),
    ]);
    expect(el.stdout).toBe('Hello, world!\n');
    expect(el.status).toBe(0);
    expect(hf.status).toBe(132);
    expect(hf.stderr).toMatch(/^urun: illegal Thumb instruction 0x[0-9a-f]{8} at 0x[0-9a-f]{8}\n$/);
  });

  it.concurrent('URUN_CPU chooses the model where no flag can be passed', async () => {
    const r = await urunAsync([probe('mips'), 'seb'], { env: { URUN_CPU: '4kc' } });
    expect(r.status).toBe(132);
  });
});

describe('--cpu: what the guest is told', () => {
  it.concurrent('/proc/cpuinfo names the model (MIPS 4Kc)', async () => {
    const r = await urunAsync(['--cpu', '4Kc', probe('mips'), 'cpuinfo']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('cpu model\t\t: MIPS 4Kc V0.1\n');
    expect(r.stdout).toContain('isa\t\t\t: mips1 mips2 mips32r1\n');
  });

  it.concurrent('/proc/cpuinfo names the model and its AT_HWCAP features (ARM926EJ-S)', async () => {
    const r = await urunAsync(['--cpu', 'arm926', probe('armel'), 'cpuinfo']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('model name\t: ARM926EJ-S rev 5 (v5l)\nBogoMIPS\t: 48.00\n' +
      'Features\t: swp half thumb fastmult edsp java \nCPU implementer\t: 0x41\nCPU architecture: 5TEJ\n' +
      'CPU variant\t: 0x0\nCPU part\t: 0x926\n');
  });
});

describe('--cpu: choosing a model', () => {
  it.concurrent('--cpu help lists every model; a wrong name says which exist', async () => {
    const [list, unknown, wrongFamily] = await Promise.all([
      urunAsync(['--cpu', 'help']),
      urunAsync(['--cpu', 'pentium', probe('mips'), 'base']),
      urunAsync(['--cpu', 'arm926', probe('mips'), 'base']),
    ]);
    expect(list.status).toBe(0);
    for (const m of ['4Kc', '24Kc', '24Kf', '74Kf', ...ARM_MODELS.map((x) => x.name)]) expect(list.stdout).toContain(`  ${m} `);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('urun: --cpu pentium is not a CPU urun knows; MIPS models: 4Kc, 24Kc, 24Kf, 74Kf\n');
    expect(wrongFamily.status).toBe(2);
    expect(wrongFamily.stderr).toBe('urun: --cpu arm926 is ARM, not MIPS; MIPS models: 4Kc, 24Kc, 24Kf, 74Kf\n');
  });

  it('the default models decode with the full tables: no filtering on the default path', () => {
    expect(MIPS_TABLE.forFeatures(MIPS_DEFAULT_MODEL.features)).toBe(MIPS_TABLE);
    expect(A32_TABLE.forFeatures(ARM_DEFAULT_MODEL.features)).toBe(A32_TABLE);
    expect(T32_TABLE.forFeatures(ARM_DEFAULT_MODEL.features)).toBe(T32_TABLE);
    // And a smaller model's table is smaller (built once per feature set).
    const v5 = A32_TABLE.forFeatures(0);
    expect(v5.defs.length).toBeLessThan(A32_TABLE.defs.length);
    expect(A32_TABLE.forFeatures(0)).toBe(v5);
  });
});
