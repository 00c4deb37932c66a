import { findJsonSyntaxError, lineAndColumn } from '../../../src/config/json-syntax-error';

describe('findJsonSyntaxError', () => {
  it.each([
    ['{}'],
    ['  {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]}\n'],
    ['"just a string"'],
    ['0'],
  ])('finds nothing wrong in valid JSON %j', (text) => {
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });

  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}' after a property value but found '\"'"],
    ['{"a": 1,}', 1, 8, "a trailing comma before '}' is not allowed"],
    ['[1, 2,]', 1, 6, "a trailing comma before ']' is not allowed"],
    ['{a: 1}', 1, 2, "expected a double-quoted property name but found 'a'"],
    ['{"a" 1}', 1, 6, "expected ':' after a property name but found '1'"],
    ['{"a": tru}', 1, 7, "expected a value but found 't'"],
    ['{"a": 1', 1, 8, "expected ',' or '}' after a property value but found the end of the text"],
    ['{"a": "open\n}', 1, 7, 'a string is not closed before the end of the line'],
    ['{"a": "\\x"}', 1, 8, 'a string holds an invalid escape sequence'],
    ['{"a": -}', 1, 7, 'a number is malformed'],
    ['{"a": 1} {}', 1, 10, "expected the end of the text after the JSON value but found '{'"],
    ['[1 2]', 1, 4, "expected ',' or ']' after an array element but found '2'"],
  ])('locates the error in %j at line %i, column %i', (text, line, column, reason) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(findJsonSyntaxError(text)).toEqual({ offset: expect.any(Number), line, column, reason });
  });

  it('agrees with JSON.parse on which texts are valid', () => {
    const samples = ['{"a":01}', '{"a":1.}', '{"a":.5}', '[]', '[[[]]]', '{"a":{"b":{}}}', 'nul', 'true ', '\t"\\u12"', '{"a":"\t"}', ''];
    for (const text of samples) {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect({ text, problem: findJsonSyntaxError(text) !== undefined }).toEqual({ text, problem: !parses });
    }
  });

  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
