// ARM signal frames, laid out as the kernel's arch/arm/kernel/signal.c does:
//   sigframe    { struct ucontext uc; u32 retcode[2]; }
//   rt_sigframe { siginfo_t info; struct sigframe sig; }
// struct ucontext: flags, link, stack_t { sp, flags, size } at 8, struct sigcontext at 20
// (trap_no, error_code, oldmask, r0-r10, fp, ip, sp, lr, pc, cpsr, fault_address), sigmask
// at 104, then at 232 uc_regspace with the VFP block (struct vfp_sigframe, 8-aligned) { magic
// 0x56465001, size 288, u64 d0-d31, fpscr at 264, 4 bytes of padding, fpexc, fpinst, fpinst2
// at 272, 4 bytes of padding } and a zero end marker. 744 bytes in all.
// The handler returns to sa_restorer (glibc always sets SA_RESTORER) or else to a
// sigreturn stub in the kernel helpers page.
import { KUSER_PAGE, type ArmCpu } from '../../isa/arm/cpu.js';
import { FPSCR_TRACK } from '../../isa/arm/vfp.js';
import { C, GE, N, NEXT, PC, Q, V, Z } from '../../isa/arm/common.js';
import { SIGBUS, SIGSEGV, sigsetFromWords, sigsetWords, type SigInfo, type SigSet, type ThreadSignals } from '../../engine/signals.js';
import type { Kernel, SigAction, SignalFrames } from '../kernel.js';
import { SA_RESTORER, frameStackTop, writeSiginfo, writeStackT } from '../signals.js';

const NR_SIGRETURN = 119, NR_RT_SIGRETURN = 173;
/** mov r7, #NR; svc 0 (ARM state), for handlers installed without SA_RESTORER. */
const MOV_R7 = 0xe3a07000, SVC_0 = 0xef000000;
const STUBS_AT = KUSER_PAGE + 0x500;

const INFO_SIZE = 128, UC_STACK = 8, UC_SC = 20, UC_MASK = 104, UC_REGSPACE = 232, UC_SIZE = 744;
const PLAIN_SIZE = UC_SIZE + 8, RT_SIZE = INFO_SIZE + PLAIN_SIZE;
// sigcontext member offsets
const SC_OLDMASK = 8, SC_R0 = 12, SC_CPSR = 76, SC_FAULT = 80;
/** VFP_STORAGE_SIZE, sizeof(struct vfp_sigframe): Linux's sigreturn refuses any other size. */
const VFP_MAGIC = 0x56465001, VFP_SIZE = 288, VFP_FPSCR = 8 + 256, VFP_FPEXC = 8 + 264, FPEXC_EN = 0x40000000;
const CPSR_T = 0x20, CPSR_USR = 0x10;

export function armSignalFrames(k: Kernel, cpu: ArmCpu): SignalFrames {
  const mem = k.mem;
  const stubs = [NR_SIGRETURN, NR_RT_SIGRETURN].map((nr, i) => {
    const at = STUBS_AT + 8 * i;
    mem.view.setUint32(at, MOV_R7 | nr, true);
    mem.view.setUint32(at + 4, SVC_0, true);
    return at;
  });
  const R = cpu.R;

  return {
    enter(info: SigInfo, act: SigAction, siginfo: boolean, oldMask: SigSet, t: ThreadSignals): boolean {
      const top = frameStackTop(t, act, R[13]);
      const frame = ((top - (siginfo ? RT_SIZE : PLAIN_SIZE)) & ~7) >>> 0;
      if (!mem.checkRange(frame, top - frame, true)) return false;
      const uc = frame + (siginfo ? INFO_SIZE : 0);
      mem.bytes.fill(0, frame, frame + (siginfo ? RT_SIZE : PLAIN_SIZE));
      if (siginfo) writeSiginfo(k, frame, info);
      writeStackT(k, uc + UC_STACK, t, R[13]);
      const sc = uc + UC_SC;
      const [lo, hi] = sigsetWords(oldMask);
      mem.write32(sc + SC_OLDMASK, lo);
      for (let i = 0; i < 15; i++) mem.write32(sc + SC_R0 + 4 * i, R[i]);
      mem.write32(sc + SC_R0 + 4 * 15, cpu.pc & ~1);
      mem.write32(sc + SC_CPSR, cpsr(R, cpu.pc));
      // Linux records the address of memory faults only (SIGSEGV, SIGBUS), not of traps.
      mem.write32(sc + SC_FAULT, info.signo === SIGSEGV || info.signo === SIGBUS ? info.addr ?? 0 : 0);
      mem.write32(uc + UC_MASK, lo);
      mem.write32(uc + UC_MASK + 4, hi);
      const vfp = uc + UC_REGSPACE;
      mem.write32(vfp, VFP_MAGIC);
      mem.write32(vfp + 4, VFP_SIZE);
      for (let i = 0; i < 64; i++) mem.write32(vfp + 8 + 4 * i, cpu.VI[i]);
      mem.write32(vfp + VFP_FPSCR, cpu.fpscr & ~FPSCR_TRACK);
      mem.write32(vfp + VFP_FPEXC, FPEXC_EN);
      R[0] = info.signo;
      if (siginfo) {
        R[1] = frame;
        R[2] = uc;
      }
      R[13] = frame;
      R[14] = act.flags & SA_RESTORER ? act.restorer : stubs[siginfo ? 1 : 0];
      // Bit 0 of the handler address selects Thumb state, as the next PC does here.
      cpu.pc = act.handler;
      cpu.exclusive = -1;
      return true;
    },

    restore(siginfo: boolean): SigSet | null {
      const frame = R[13] >>> 0;
      if (frame & 7 || !mem.checkRange(frame, siginfo ? RT_SIZE : PLAIN_SIZE, false)) return null;
      const uc = frame + (siginfo ? INFO_SIZE : 0);
      const sc = uc + UC_SC;
      for (let i = 0; i < 15; i++) R[i] = mem.read32(sc + SC_R0 + 4 * i);
      const psr = mem.read32(sc + SC_CPSR);
      R[N] = (psr >>> 31) & 1;
      R[Z] = (psr >>> 30) & 1;
      R[C] = (psr >>> 29) & 1;
      R[V] = (psr >>> 28) & 1;
      R[Q] = (psr >>> 27) & 1;
      R[GE] = (psr >>> 16) & 0xf;
      cpu.pc = (mem.read32(sc + SC_R0 + 4 * 15) & ~1) | (psr & CPSR_T ? 1 : 0);
      R[PC] = 0;
      R[NEXT] = cpu.pc;
      const vfp = uc + UC_REGSPACE;
      if (mem.read32(vfp) === VFP_MAGIC && mem.read32(vfp + 4) === VFP_SIZE) {
        for (let i = 0; i < 64; i++) cpu.VI[i] = mem.read32(vfp + 8 + 4 * i);
        // Whether exception flags are being computed is urun's own state (vfp.ts): it stays.
        cpu.fpscr = (mem.read32(vfp + VFP_FPSCR) & ~FPSCR_TRACK) | (cpu.fpscr & FPSCR_TRACK);
      }
      cpu.exclusive = -1;
      return sigsetFromWords(mem.read32(uc + UC_MASK), mem.read32(uc + UC_MASK + 4));
    },
  };
}

/** The CPSR as user mode sees it: flags, GE bits, the Thumb bit. */
function cpsr(R: Int32Array, pc: number): number {
  return ((R[N] << 31) | (R[Z] << 30) | (R[C] << 29) | (R[V] << 28) | (R[Q] << 27) | (R[GE] << 16) |
    (pc & 1 ? CPSR_T : 0) | CPSR_USR) >>> 0;
}
