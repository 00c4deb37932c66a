/**
 * Finds where JSON text stops being valid, with a reason a person can act on. JSON.parse's own messages
 * cannot be used for that: on Node 20 some carry a position and some do not, and the "Unexpected token"
 * ones quote a slice of the text (line breaks and possibly a secret included).
 */
export interface JsonSyntaxProblem {
  /** Offset of the offending character in the text (0-based). */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Lower-case reason without position, e.g. "expected ',' or '}' after a property value but found '\"'". */
  reason: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${c}'`;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Returns undefined when the text is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (reason: string, at: number = i): never => {
    throw new Stop(at, reason);
  };
  const found = (): string => (i >= text.length ? 'the end of the text' : describeChar(text[i] as string));
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };

  const parseString = (): void => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('a string is not closed', start);
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const next = text[i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else if (next === 'u' && HEX4.test(text.slice(i + 2, i + 6))) i += 6;
        else fail('a string holds an invalid escape sequence');
      } else if (c === '\n' || c === '\r') {
        fail('a string is not closed before the end of the line', start);
      } else if (c < ' ') {
        fail(`a string holds ${describeChar(c)}`);
      } else {
        i++;
      }
    }
  };

  const parseNumber = (): void => {
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail('a number is malformed');
    i = NUMBER.lastIndex;
  };

  const parseObject = (): void => {
    i++; // {
    skipSpace();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[i] !== '"') fail(`expected a double-quoted property name but found ${found()}`);
      parseString();
      skipSpace();
      if (text[i] !== ':') fail(`expected ':' after a property name but found ${found()}`);
      i++;
      parseValue();
      skipSpace();
      if (text[i] === '}') {
        i++;
        return;
      }
      if (text[i] !== ',') fail(`expected ',' or '}' after a property value but found ${found()}`);
      const comma = i;
      i++;
      skipSpace();
      if (text[i] === '}') fail("a trailing comma before '}' is not allowed", comma);
    }
  };

  const parseArray = (): void => {
    i++; // [
    skipSpace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      parseValue();
      skipSpace();
      if (text[i] === ']') {
        i++;
        return;
      }
      if (text[i] !== ',') fail(`expected ',' or ']' after an array element but found ${found()}`);
      const comma = i;
      i++;
      skipSpace();
      if (text[i] === ']') fail("a trailing comma before ']' is not allowed", comma);
    }
  };

  function parseValue(): void {
    skipSpace();
    const c = text[i];
    if (c === '{') return parseObject();
    if (c === '[') return parseArray();
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail(`expected a value but found ${found()}`);
  }

  try {
    parseValue();
    skipSpace();
    if (i < text.length) fail(`expected the end of the text after the JSON value but found ${found()}`);
    return undefined;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    return { offset: err.offset, ...lineAndColumn(text, err.offset), reason: err.reason };
  }
}
