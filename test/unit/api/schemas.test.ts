import { BadRequest, assertNoBody, integerParam, validationMessage } from '../../../src/api/schemas';

describe('validationMessage', () => {
  it.each([
    ['body', { instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'x' } }, 'the body has the unknown key "x"'],
    ['querystring', { instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'x' } }, 'unknown query parameter "x"'],
    ['body', { instancePath: '', keyword: 'required', params: { missingProperty: 'symbol' } }, 'body field "symbol" is required'],
    ['querystring', { instancePath: '', keyword: 'required', params: { missingProperty: 'symbol' } }, 'query parameter "symbol" is required'],
    ['body', { instancePath: '/symbol', keyword: 'type', params: { type: 'string' } }, 'body field "symbol" must be a string'],
    ['body', { instancePath: '/n', keyword: 'type', params: { type: 'integer' } }, 'body field "n" must be an integer'],
    ['body', { instancePath: '', keyword: 'type', params: { type: 'object' } }, 'the body must be a JSON object'],
    ['querystring', { instancePath: '/limit', keyword: 'type', params: { type: 'string' } }, 'query parameter "limit" must be given once, as an integer'],
    ['querystring', { instancePath: '/limit', keyword: 'pattern', params: {} }, 'query parameter "limit" must be an integer'],
    ['body', { instancePath: '/agent', keyword: 'maxLength', params: {} }, 'body field "agent" must be an agent name of letters, digits, "-", "_" or "." (at most 64 characters)'],
    ['body', { instancePath: '/other', keyword: 'pattern', params: {} }, 'body field "other" must be valid text'],
    ['body', { instancePath: '/a/b', keyword: 'enum', params: {} }, 'body field "a.b" is not valid'],
  ])('%s %j -> %j', (context, item, message) => {
    expect(validationMessage(context, [item])).toBe(message);
  });

  it('has a sentence for an empty list too', () => {
    expect(validationMessage('body', [])).toBe('the body is not valid');
  });
});

describe('integerParam', () => {
  it('passes an absent value through and checks the range of a present one', () => {
    expect(integerParam(undefined, 'limit', 1, 10)).toBeUndefined();
    expect(integerParam('10', 'limit', 1, 10)).toBe(10);
    expect(() => integerParam('11', 'limit', 1, 10)).toThrow(new BadRequest('query parameter "limit" must be an integer from 1 to 10'));
    expect(() => integerParam('99999999999999999', 'to', 0, Number.MAX_SAFE_INTEGER)).toThrow(BadRequest);
  });
});

describe('assertNoBody', () => {
  it('takes nothing, null or {} and refuses anything else', () => {
    for (const body of [undefined, null, {}]) expect(() => assertNoBody(body)).not.toThrow();
    expect(() => assertNoBody({ a: 1 })).toThrow('this route takes no body, and the body has the unknown key "a"');
    for (const body of ['x', 5, [], [1]]) expect(() => assertNoBody(body)).toThrow('this route takes no body (send none, or {})');
  });
});
