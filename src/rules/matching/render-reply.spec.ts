import { renderReply, unsupportedReplyPlaceholders } from './render-reply';

describe('renderReply', () => {
  const anna = { username: 'anna.k', name: 'Anna' };

  it.each([
    ['Hi {{name}}!', 'Hi Anna!'],
    ['Hi {{ name }} (@{{username}})', 'Hi Anna (@anna.k)'],
    ['{{  username\t}}', 'anna.k'],
    ['{{name}}{{name}}', 'AnnaAnna'],
    ['No placeholders here', 'No placeholders here'],
    ['{{ unknown }}!', '!'],
    ['{{Name}}', ''],
    ['{name} {{name} {{ na me }}', '{name} {{name} {{ na me }}'],
    ['{{{name}}}', '{Anna}'],
  ])('%j becomes %j', (text, expected) => {
    expect(renderReply(text, anna)).toBe(expected);
  });

  it('leaves a value that is not known yet empty', () => {
    expect(renderReply('Hi {{name}}, @{{username}}', { username: null, name: undefined })).toBe('Hi , @');
  });

  it('inserts values literally, never as placeholders or replacement patterns', () => {
    expect(renderReply('Hi {{name}}', { username: 'x', name: '{{username}} $& $1' })).toBe('Hi {{username}} $& $1');
  });
});

describe('unsupportedReplyPlaceholders', () => {
  it('names each placeholder that rules do not offer, once', () => {
    expect(unsupportedReplyPlaceholders('{{name}} {{ order }} {{Name}} {{order}} {{username}}')).toEqual([
      'order',
      'Name',
    ]);
    expect(unsupportedReplyPlaceholders('Hi {{ name }} @{{username}}')).toEqual([]);
  });
});
