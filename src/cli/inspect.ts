// `urun info FILE` and `urun disasm FILE [SYMBOL|RANGE]`.
export function inspect(argv: string[]): number {
  void argv;
  return 2;
}
