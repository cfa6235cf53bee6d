// elfy ships no types; this declares the part of it urun uses.
declare module 'elfy' {
  export interface ElfyHeader {
    class: '32' | '64';
    endian: 'lsb' | 'msb';
    type: string | undefined;
    machine: string | undefined;
    entry: number;
    phoff: number;
    shoff: number;
    flags: number;
    phentsize: number;
    phnum: number;
    shnum: number;
  }
  export interface ElfyProgram {
    type: string | undefined;
    offset: number;
    vaddr: number;
    filesz: number;
    memsz: number;
    flags: Record<string, boolean>;
    align: number;
  }
  export class Parser {
    parseHeader(buf: Buffer): ElfyHeader;
    parsePrograms(buf: Buffer, header: ElfyHeader): ElfyProgram[];
  }
  const elfy: { Parser: typeof Parser; parse(buf: Buffer): unknown };
  export default elfy;
}
