/** Work done by the splitter's own code (characters and bytes walked), so tests can check that it stays linear. */
export interface SplitWork {
  units: number;
}

/**
 * Turns offsets of a text into 1-based line numbers. Offsets asked in ascending order (statements of a script) cost
 * only the characters between them, so a whole script costs one pass; an offset before the previous one rescans.
 */
export class LineCursor {
  private index = 0;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly work?: SplitWork,
  ) {}

  lineAt(offset: number): number {
    if (offset < this.index) {
      this.index = 0;
      this.line = 1;
    }
    const end = Math.min(offset, this.text.length);
    // indexOf is native: a JavaScript loop over every character was most of the cost of numbering lines, cold.
    for (let i = this.text.indexOf('\n', this.index); i !== -1 && i < end; i = this.text.indexOf('\n', i + 1)) this.line++;
    if (this.work) this.work.units += end - this.index;
    this.index = end;
    return this.line;
  }
}
