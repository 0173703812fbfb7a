import { MissingTemplateParameterError } from './missing-template-parameter.error';
import { renderTemplate, templateParameters } from './fill-template-params';

function missingError(text: string, params: Record<string, string>): MissingTemplateParameterError {
  try {
    renderTemplate(text, params);
  } catch (error) {
    if (error instanceof MissingTemplateParameterError) return error;
    throw error;
  }
  throw new Error('the template rendered');
}

describe('templateParameters', () => {
  it.each([
    ['Hello', []],
    ['Hi {{name}}, order {{ order_id }} ships {{date}}', ['name', 'order_id', 'date']],
    ['{{a}} {{b}} {{a}} {{ b }}', ['a', 'b']],
    ['{{order.id}} {{tracking-url}}', ['order.id', 'tracking-url']],
    ['{single} {{ two words }} {{}} {{ }}', []],
  ])('of %j: %j', (text, expected) => {
    expect(templateParameters(text)).toEqual(expected);
  });
});

describe('renderTemplate', () => {
  it('fills every placeholder, with or without spaces inside the braces', () => {
    expect(renderTemplate('Hi {{name}}, order {{ order }} is {{name}}’s', { name: 'Anna', order: '#42' })).toBe(
      'Hi Anna, order #42 is Anna’s',
    );
  });

  it('ignores parameters the template does not use, and accepts empty values', () => {
    expect(renderTemplate('Code: {{code}}.', { code: '', extra: 'x' })).toBe('Code: .');
  });

  it('inserts values literally, never as placeholders or replacement patterns', () => {
    expect(renderTemplate('{{a}} {{b}}', { a: '{{b}}', b: "$& $1 $'" })).toBe("{{b}} $& $1 $'");
  });

  it('names every missing parameter, once, as a 400 validation error', () => {
    const error = missingError('{{name}} {{order}} {{date}} {{order}}', { name: 'Anna' });
    expect(error.missingParameters).toEqual(['order', 'date']);
    expect(error.message).toBe('missing template parameters: order, date');
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toEqual({
      'params.order': 'the template uses {{order}}',
      'params.date': 'the template uses {{date}}',
    });
  });

  it('says "parameter" for one', () => {
    expect(missingError('Hi {{name}}', {}).message).toBe('missing template parameter: name');
  });

  it('never takes a value from Object.prototype', () => {
    const error = missingError('{{constructor}} {{toString}} {{__proto__}}', {});
    expect(error.missingParameters).toEqual(['constructor', 'toString', '__proto__']);
    const params = JSON.parse('{"__proto__":"own value"}') as Record<string, string>;
    expect(renderTemplate('{{__proto__}}', params)).toBe('own value');
  });

  it('refuses a value that is not a string', () => {
    const params = { count: 3 } as unknown as Record<string, string>;
    expect(missingError('{{count}}', params).missingParameters).toEqual(['count']);
  });

  it('renders a text without placeholders as it is', () => {
    expect(renderTemplate('No placeholders {here}', {})).toBe('No placeholders {here}');
  });
});
