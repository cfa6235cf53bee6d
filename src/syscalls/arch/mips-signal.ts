// MIPS o32 signal frames, laid out as the kernel's arch/mips/kernel/signal.c does:
//   sigframe    { u32 ass[4]; u32 pad[2]; struct sigcontext sc; sigset_t mask; }
//   rt_sigframe { u32 ass[4]; u32 pad[2]; siginfo_t info; struct ucontext uc; }
// struct sigcontext (asm/sigcontext.h, o32): regmask, status, u64 pc, u64 regs[32],
// u64 fpregs[32], acx, fcsr, fir, used_math, dsp, u64 mdhi, u64 mdlo, hi1..lo3: 592 bytes.
// struct ucontext: flags, link, stack_t { sp, size, flags }, sigcontext at 24, sigmask
// (128 bits) at 616. The handler returns through a stub (li v0, NR; syscall) on a page
// urun maps, where the kernel uses its vDSO.
import type { GuestMemory } from '../../memory/memory.js';
import { PROT_EXEC, PROT_READ } from '../../memory/memory.js';
import type { MipsCpu } from '../../isa/mips/cpu.js';
import { HI, LO } from '../../isa/mips/cpu.js';
import { sigsetFromWordList, sigsetWordList, type SigInfo, type SigSet, type ThreadSignals } from '../../engine/signals.js';
import type { Kernel, SigAction, SignalFrames } from '../kernel.js';
import { frameStackTop, writeSiginfo, writeStackT } from '../signals.js';

/** Where the sigreturn stubs live: a page above the initial stack, below the kernel half. */
export const MIPS_SIGRETURN_PAGE = 0x7fff8000;
const NR_SIGRETURN = 4119, NR_RT_SIGRETURN = 4193;
const ADDIU_V0 = 0x24020000, SYSCALL = 0x0000000c;

const SC_SIZE = 592, INFO_AT = 24, PLAIN_SC_AT = 24, PLAIN_MASK_AT = 24 + SC_SIZE;
const RT_UC_AT = 24 + 128, UC_STACK = 8, UC_SC = 24, UC_MASK = UC_SC + SC_SIZE, UC_SIZE = UC_MASK + 16;
const PLAIN_SIZE = PLAIN_MASK_AT + 16, RT_SIZE = RT_UC_AT + UC_SIZE;
// sigcontext member offsets
const SC_PC = 8, SC_REGS = 16, SC_FPREGS = 272, SC_FCSR = 532, SC_USED_MATH = 540, SC_MDHI = 552, SC_MDLO = 560;

export function mipsSignalFrames(k: Kernel, cpu: MipsCpu): SignalFrames {
  const mem = k.mem;
  mem.map(MIPS_SIGRETURN_PAGE, 0x1000, PROT_READ | PROT_EXEC);
  const stubs = [NR_SIGRETURN, NR_RT_SIGRETURN].map((nr, i) => {
    const at = MIPS_SIGRETURN_PAGE + 8 * i;
    mem.view.setUint32(at, ADDIU_V0 | nr, mem.littleEndian);
    mem.view.setUint32(at + 4, SYSCALL, mem.littleEndian);
    return at;
  });
  const R = cpu.R;

  return {
    enter(info: SigInfo, act: SigAction, siginfo: boolean, oldMask: SigSet, t: ThreadSignals): boolean {
      // The kernel leaves 32 bytes below the interrupted stack pointer untouched.
      const top = frameStackTop(t, act, R[29]) - 32;
      const frame = ((top - (siginfo ? RT_SIZE : PLAIN_SIZE)) & ~7) >>> 0;
      if (!mem.checkRange(frame, top - frame, true)) return false;
      mem.bytes.fill(0, frame, top);
      const sc = frame + (siginfo ? RT_UC_AT + UC_SC : PLAIN_SC_AT);
      saveContext(mem, cpu, sc);
      // The whole sigset_t: four words (signals 1-127).
      const maskAt = frame + (siginfo ? RT_UC_AT + UC_MASK : PLAIN_MASK_AT);
      sigsetWordList(oldMask, 4).forEach((w, i) => mem.write32(maskAt + 4 * i, w));
      if (siginfo) {
        writeSiginfo(k, frame + INFO_AT, info);
        writeStackT(k, frame + RT_UC_AT + UC_STACK, t, R[29]);
      }
      R[4] = info.signo;
      R[5] = siginfo ? frame + INFO_AT : 0;
      R[6] = siginfo ? frame + RT_UC_AT : sc;
      R[29] = frame;
      R[31] = stubs[siginfo ? 1 : 0];
      R[25] = act.handler; // $t9: PIC handlers compute $gp from it
      cpu.pc = act.handler;
      cpu.llbit = 0;
      return true;
    },

    restore(siginfo: boolean): SigSet | null {
      const frame = R[29] >>> 0;
      const size = siginfo ? RT_SIZE : PLAIN_SIZE;
      if (!mem.checkRange(frame, size, false)) return null;
      restoreContext(mem, cpu, frame + (siginfo ? RT_UC_AT + UC_SC : PLAIN_SC_AT));
      const maskAt = frame + (siginfo ? RT_UC_AT + UC_MASK : PLAIN_MASK_AT);
      cpu.llbit = 0;
      return sigsetFromWordList([0, 1, 2, 3].map((i) => mem.read32(maskAt + 4 * i)));
    },
  };
}

/** A 32-bit register in a 64-bit sigcontext slot: sign-extended, in guest byte order. */
function put64(mem: GuestMemory, at: number, v: number): void {
  const [hiAt, loAt] = mem.littleEndian ? [at + 4, at] : [at, at + 4];
  mem.write32(loAt, v);
  mem.write32(hiAt, v >> 31);
}

const get64lo = (mem: GuestMemory, at: number): number => mem.read32(mem.littleEndian ? at : at + 4) | 0;

function saveContext(mem: GuestMemory, cpu: MipsCpu, sc: number): void {
  put64(mem, sc + SC_PC, cpu.pc);
  for (let i = 1; i < 32; i++) put64(mem, sc + SC_REGS + 8 * i, cpu.R[i]);
  // FR=0: each even slot holds the register pair (odd register in the high word).
  for (let i = 0; i < 32; i += 2) {
    const at = sc + SC_FPREGS + 8 * i;
    const [lo, hi] = mem.littleEndian ? [at, at + 4] : [at + 4, at];
    mem.write32(lo, cpu.FI[i]);
    mem.write32(hi, cpu.FI[i + 1]);
  }
  cpu.settleCause();
  mem.write32(sc + SC_FCSR, cpu.fcsr);
  mem.write32(sc + SC_USED_MATH, 1);
  put64(mem, sc + SC_MDHI, cpu.R[HI]);
  put64(mem, sc + SC_MDLO, cpu.R[LO]);
}

function restoreContext(mem: GuestMemory, cpu: MipsCpu, sc: number): void {
  cpu.pc = get64lo(mem, sc + SC_PC);
  for (let i = 1; i < 32; i++) cpu.R[i] = get64lo(mem, sc + SC_REGS + 8 * i);
  for (let i = 0; i < 32; i += 2) {
    const at = sc + SC_FPREGS + 8 * i;
    const [lo, hi] = mem.littleEndian ? [at, at + 4] : [at + 4, at];
    cpu.FI[i] = mem.read32(lo);
    cpu.FI[i + 1] = mem.read32(hi);
  }
  cpu.fcsr = mem.read32(sc + SC_FCSR) & 0xff83ffff;
  cpu.fcsrChanged();
  cpu.R[HI] = get64lo(mem, sc + SC_MDHI);
  cpu.R[LO] = get64lo(mem, sc + SC_MDLO);
}
