// Shape limits checked on the raw text before a Markdown file is parsed. micromark's time grows
// much faster than the input for some shapes (emphasis delimiters resolve in cubic time within a
// paragraph; every line re-walks every open list and quote), so a small file of the wrong shape
// can keep a CPU busy for minutes. Real checklists stay far below these limits (measured on every
// file in ../shared/seeds and ../shared/corpus: nesting 7, 20 emphasis markers on a line and 113
// in a block, 666 in a file, 60 brackets on a line and 984 in a file, 61 lines in a block),
// while the generated 5,000-item checklist of `npm run bench` (18,000 emphasis markers) must pass;
// a file at the limits parses about as fast as plain text of the same size.
//
// Every count over-approximates what the parser sees: a block here is a run of lines without a
// blank line (a paragraph can never be larger), and nesting counts indentation as well as markers
// (a line can be nested no deeper), so no file gets past a limit by hiding its shape from the scan.

export const MARKDOWN_LIMITS = {
  /** Levels of nesting on a line: list and quote markers plus every 2 columns of indentation. */
  nesting: 20,
  /** `*`, `_` and `~` (emphasis, strong, strikethrough). */
  emphasisPerLine: 100,
  emphasisPerBlock: 500,
  emphasisPerFile: 25_000,
  /** `[` and `]` (links, images, references, task boxes). */
  bracketsPerLine: 200,
  bracketsPerBlock: 1_000,
  bracketsPerFile: 30_000,
  /** Lines without a blank line between them: a paragraph's lazy continuation lines are quadratic. */
  linesPerBlock: 1_000,
  /** List items, task items included. */
  listItems: 10_000,
} as const;

const EMPHASIS = "emphasis markers (*, _ or ~)";
const BRACKETS = "brackets ([ or ])";

const count = (value: number) => value.toLocaleString("en-US");

/**
 * The first limit the text goes over, as a one-line message naming the limit and where, or null.
 * Linear in the length of the text. Expects LF line endings.
 */
export function findShapeProblem(text: string): string | null {
  let emphasisInFile = 0;
  let bracketsInFile = 0;
  let listItems = 0;
  let blockStart = 1;
  let emphasisInBlock = 0;
  let bracketsInBlock = 0;
  let lineNumber = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    lineNumber += 1;
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = text.length;

    const prefix = scanPrefix(text, lineStart, lineEnd);
    if (prefix.depth > MARKDOWN_LIMITS.nesting) {
      return `Line ${count(lineNumber)} is nested ${count(prefix.depth)} levels deep (lists, quotes and indentation); the limit is ${MARKDOWN_LIMITS.nesting}.`;
    }
    listItems += prefix.listMarkers;

    let emphasis = 0;
    let brackets = 0;
    let blank = true;
    for (let index = lineStart; index < lineEnd; index++) {
      const code = text.charCodeAt(index);
      if (code === 42 || code === 95 || code === 126) emphasis += 1; // * _ ~
      else if (code === 91 || code === 93) brackets += 1; // [ ]
      if (blank && code !== 32 && code !== 9) blank = false;
    }
    if (emphasis > MARKDOWN_LIMITS.emphasisPerLine) {
      return `Line ${count(lineNumber)} has ${count(emphasis)} ${EMPHASIS}; the limit is ${MARKDOWN_LIMITS.emphasisPerLine}.`;
    }
    if (brackets > MARKDOWN_LIMITS.bracketsPerLine) {
      return `Line ${count(lineNumber)} has ${count(brackets)} ${BRACKETS}; the limit is ${MARKDOWN_LIMITS.bracketsPerLine}.`;
    }

    if (blank) {
      emphasisInBlock = 0;
      bracketsInBlock = 0;
      blockStart = lineNumber + 1;
    } else {
      emphasisInBlock += emphasis;
      bracketsInBlock += brackets;
      const lines = `Lines ${count(blockStart)}–${count(lineNumber)}, with no blank line between them,`;
      if (lineNumber - blockStart + 1 > MARKDOWN_LIMITS.linesPerBlock) {
        return `Lines ${count(blockStart)}–${count(lineNumber)} have no blank line between them; the limit is ${count(MARKDOWN_LIMITS.linesPerBlock)} lines.`;
      }
      if (emphasisInBlock > MARKDOWN_LIMITS.emphasisPerBlock) {
        return `${lines} have ${count(emphasisInBlock)} ${EMPHASIS}; the limit is ${MARKDOWN_LIMITS.emphasisPerBlock}.`;
      }
      if (bracketsInBlock > MARKDOWN_LIMITS.bracketsPerBlock) {
        return `${lines} have ${count(bracketsInBlock)} ${BRACKETS}; the limit is ${count(MARKDOWN_LIMITS.bracketsPerBlock)}.`;
      }
    }
    emphasisInFile += emphasis;
    bracketsInFile += brackets;
    lineStart = lineEnd + 1;
  }
  if (emphasisInFile > MARKDOWN_LIMITS.emphasisPerFile) {
    return `The file has ${count(emphasisInFile)} ${EMPHASIS}; the limit is ${count(MARKDOWN_LIMITS.emphasisPerFile)}.`;
  }
  if (bracketsInFile > MARKDOWN_LIMITS.bracketsPerFile) {
    return `The file has ${count(bracketsInFile)} ${BRACKETS}; the limit is ${count(MARKDOWN_LIMITS.bracketsPerFile)}.`;
  }
  if (listItems > MARKDOWN_LIMITS.listItems) {
    return `The file has ${count(listItems)} list items; the limit is ${count(MARKDOWN_LIMITS.listItems)}.`;
  }
  return null;
}

/**
 * The container prefix of a line: quote markers (`>`), list markers (`-`, `*`, `+`, `1.`, `1)`
 * followed by a space, a tab or the end of the line) and the indentation between them. A line
 * continues an open list item only when indented by at least 2 columns per item, so depth counts
 * markers plus indentation / 2: never less than the parser's nesting of the line. The space a
 * quote marker takes and the up to 4 spaces after a list marker belong to the marker, not to
 * further nesting.
 */
function scanPrefix(text: string, start: number, end: number): { depth: number; listMarkers: number } {
  let index = start;
  let column = 0;
  let indentation = 0;
  let markers = 0;
  let listMarkers = 0;
  let padding = 0; // spaces after the last marker that still belong to it
  while (index < end) {
    const code = text.charCodeAt(index);
    if (code === 32) {
      if (padding > 0) padding -= 1;
      else indentation += 1;
      column += 1;
      index += 1;
    } else if (code === 9) {
      const width = 4 - (column % 4);
      column += width;
      indentation += width;
      padding = 0;
      index += 1;
    } else if (code === 62) {
      // >
      markers += 1;
      column += 1;
      index += 1;
      padding = 1;
    } else {
      const length = listMarkerLength(text, index, end);
      if (length === 0) break;
      markers += 1;
      listMarkers += 1;
      column += length;
      index += length;
      padding = 4;
    }
  }
  return { depth: markers + Math.floor(indentation / 2), listMarkers };
}

/** Length of the list marker at `index` (`-`, `*`, `+`, or 1-9 digits then `.` or `)`), or 0. */
function listMarkerLength(text: string, index: number, end: number): number {
  const code = text.charCodeAt(index);
  let length = 0;
  if (code === 45 || code === 42 || code === 43) {
    length = 1;
  } else {
    while (length < 9 && index + length < end && isDigit(text.charCodeAt(index + length))) length += 1;
    if (length === 0 || index + length >= end) return 0;
    const delimiter = text.charCodeAt(index + length);
    if (delimiter !== 46 && delimiter !== 41) return 0; // . )
    length += 1;
  }
  const after = index + length;
  if (after < end) {
    const next = text.charCodeAt(after);
    if (next !== 32 && next !== 9) return 0;
  }
  return length;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
