/*
 * bytecode: a small register virtual machine with a switch dispatch loop.
 *
 * main() assembles a VM program that, for each i in [1, N], follows the
 * Collatz sequence of 1 + (i mod 65536) down to 1, counting its steps, and
 * folds the step counts into a hash; then it computes Fibonacci numbers
 * modulo 2^32 in a second loop.  The interpreter executes it.
 *
 *   bytecode [N]     default N = 80000
 *
 * Measures an interpreter's dispatch: an indirect jump (or compare chain)
 * per VM instruction, with operand decoding from memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum op {
    OP_HALT,
    OP_LI,    /* r[a] = imm */
    OP_MOV,   /* r[a] = r[b] */
    OP_ADD,   /* r[a] = r[b] + r[c] */
    OP_ADDI,  /* r[a] = r[b] + imm */
    OP_SUB,   /* r[a] = r[b] - r[c] */
    OP_MUL,   /* r[a] = r[b] * r[c] */
    OP_ANDI,  /* r[a] = r[b] & imm */
    OP_XOR,   /* r[a] = r[b] ^ r[c] */
    OP_SHRI,  /* r[a] = r[b] >> imm */
    OP_JMP,   /* pc = imm */
    OP_JZ,    /* if r[a] == 0: pc = imm */
    OP_JNZ,   /* if r[a] != 0: pc = imm */
    OP_JLT,   /* if r[a] < r[b] (unsigned): pc = imm */
    OP_JEQ,   /* if r[a] == r[b]: pc = imm */
};

struct insn {
    uint8_t op, a, b, c;
    uint32_t imm;
};

#define MAX_CODE 64
#define NREGS 8

static struct insn code[MAX_CODE];
static int ncode;

static int emit(enum op op, int a, int b, int c, uint32_t imm)
{
    if (ncode == MAX_CODE) {
        fprintf(stderr, "bytecode: program too long\n");
        exit(1);
    }
    code[ncode].op = (uint8_t)op;
    code[ncode].a = (uint8_t)a;
    code[ncode].b = (uint8_t)b;
    code[ncode].c = (uint8_t)c;
    code[ncode].imm = imm;
    return ncode++;
}

/* Point the jump at index `at` to the next instruction to be emitted. */
static void patch_here(int at)
{
    code[at].imm = (uint32_t)ncode;
}

static void run(uint32_t *r)
{
    uint32_t pc = 0;
    for (;;) {
        const struct insn *in = &code[pc++];
        switch (in->op) {
        case OP_HALT:
            return;
        case OP_LI:
            r[in->a] = in->imm;
            break;
        case OP_MOV:
            r[in->a] = r[in->b];
            break;
        case OP_ADD:
            r[in->a] = r[in->b] + r[in->c];
            break;
        case OP_ADDI:
            r[in->a] = r[in->b] + in->imm;
            break;
        case OP_SUB:
            r[in->a] = r[in->b] - r[in->c];
            break;
        case OP_MUL:
            r[in->a] = r[in->b] * r[in->c];
            break;
        case OP_ANDI:
            r[in->a] = r[in->b] & in->imm;
            break;
        case OP_XOR:
            r[in->a] = r[in->b] ^ r[in->c];
            break;
        case OP_SHRI:
            r[in->a] = r[in->b] >> (in->imm & 31);
            break;
        case OP_JMP:
            pc = in->imm;
            break;
        case OP_JZ:
            if (r[in->a] == 0)
                pc = in->imm;
            break;
        case OP_JNZ:
            if (r[in->a] != 0)
                pc = in->imm;
            break;
        case OP_JLT:
            if (r[in->a] < r[in->b])
                pc = in->imm;
            break;
        case OP_JEQ:
            if (r[in->a] == r[in->b])
                pc = in->imm;
            break;
        default:
            fprintf(stderr, "bytecode: bad opcode %d at %lu\n", in->op,
                    (unsigned long)(pc - 1));
            exit(1);
        }
    }
}

/*
 * Registers: r0 hash, r1 i, r2 N, r3 x, r4 steps, r5 scratch, r6 const 1,
 * r7 const 3 / 31.
 */
static void assemble(uint32_t n)
{
    emit(OP_LI, 0, 0, 0, 2166136261u);      /* hash = FNV offset */
    emit(OP_LI, 1, 0, 0, 1);                /* i = 1 */
    emit(OP_LI, 2, 0, 0, n + 1);            /* limit = N + 1 */
    emit(OP_LI, 6, 0, 0, 1);                /* one */
    emit(OP_LI, 7, 0, 0, 3);                /* three */
    int outer = emit(OP_ANDI, 3, 1, 0, 0xffff); /* x = (i & 0xffff) + 1 */
    emit(OP_ADDI, 3, 3, 0, 1);
    emit(OP_LI, 4, 0, 0, 0);                /* steps = 0 */
    int inner = emit(OP_JEQ, 3, 6, 0, 0);   /* while x != 1 */
    emit(OP_ANDI, 5, 3, 0, 1);
    int to_even = emit(OP_JZ, 5, 0, 0, 0);
    emit(OP_MUL, 3, 3, 7, 0);               /* odd: x = 3x + 1 */
    emit(OP_ADD, 3, 3, 6, 0);
    int to_next = emit(OP_JMP, 0, 0, 0, 0);
    patch_here(to_even);
    emit(OP_SHRI, 3, 3, 0, 1);              /* even: x = x / 2 */
    patch_here(to_next);
    emit(OP_ADDI, 4, 4, 0, 1);              /* steps++ */
    emit(OP_JMP, 0, 0, 0, (uint32_t)inner);
    patch_here(inner);
    emit(OP_XOR, 0, 0, 4, 0);               /* hash = (hash ^ steps) * 16777619 */
    emit(OP_LI, 5, 0, 0, 16777619u);
    emit(OP_MUL, 0, 0, 5, 0);
    emit(OP_ADDI, 1, 1, 0, 1);              /* i++ */
    emit(OP_JLT, 1, 2, 0, (uint32_t)outer);

    /* Fibonacci: a, b = 0, 1; repeat 8N times: a, b = b, a + b (mod 2^32) */
    emit(OP_LI, 3, 0, 0, 0);
    emit(OP_LI, 4, 0, 0, 1);
    emit(OP_LI, 1, 0, 0, 0);
    emit(OP_LI, 2, 0, 0, 8 * n);
    int fib = emit(OP_ADD, 5, 3, 4, 0);
    emit(OP_MOV, 3, 4, 0, 0);
    emit(OP_MOV, 4, 5, 0, 0);
    emit(OP_ADDI, 1, 1, 0, 1);
    emit(OP_JLT, 1, 2, 0, (uint32_t)fib);
    emit(OP_SUB, 5, 4, 3, 0);               /* r5 = fib(k-1), a sanity value */
    emit(OP_HALT, 0, 0, 0, 0);
}

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 80000u;
    if (n > 100000000u) {
        fprintf(stderr, "bytecode: N must be at most 1e8\n");
        return 2;
    }
    assemble(n);
    uint32_t r[NREGS] = {0};
    run(r);
    printf("bytecode %lu hash %08lx fib %08lx checksum %08lx\n", (unsigned long)n,
           (unsigned long)r[0], (unsigned long)r[4], (unsigned long)(r[0] ^ r[3] ^ r[5]));
    return 0;
}
