import { Injectable } from '@nestjs/common';

/** Where commands print their results; a seam so tests can read exactly what an operator sees. */
@Injectable()
export class CliOutput {
  line(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  table(rows: Array<Record<string, string>>): void {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]);
    const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
    const format = (values: string[]) =>
      values
        .map((v, i) => v.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    this.line(format(columns));
    for (const row of rows) this.line(format(columns.map((c) => row[c])));
  }
}
