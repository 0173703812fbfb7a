import { MESSAGE_TEXT_MAX_BYTES } from '../text/split-message-text';
import { autoReplyParts, fillAutoReply } from './reply-text';

describe('automatic reply text', () => {
  it('is one part when short, its placeholders kept until it is sent', () => {
    expect(autoReplyParts('Hi {{name}}, thanks!')).toEqual(['Hi {{name}}, thanks!']);
  });

  it('leaves room in each part for what the placeholders become, so a filled part stays within Meta’s limit', () => {
    const text = `Hi {{name}} (@{{username}}), ${'word '.repeat(190)}`.trim();
    const parts = autoReplyParts(text);
    expect(parts.length).toBeGreaterThan(1);
    const longest = { username: 'u'.repeat(30), name: '\u{1F600}'.repeat(40) };
    for (const part of parts) {
      expect(Buffer.byteLength(fillAutoReply(part, longest))).toBeLessThanOrEqual(MESSAGE_TEXT_MAX_BYTES);
    }
  });

  it('splits a text without placeholders as any message', () => {
    expect(autoReplyParts('x'.repeat(1000))).toEqual(['x'.repeat(1000)]);
  });

  it('fills in the username and name, cutting a long name at a whole character', () => {
    const filled = fillAutoReply('Hi {{ name }} / {{username}}', {
      username: 'ana.b',
      name: `${'\u{1F469}\u200D\u{1F4BB}'.repeat(20)}`,
    });
    expect(filled.startsWith('Hi ')).toBe(true);
    expect(filled.endsWith(' / ana.b')).toBe(true);
    const name = filled.slice(3, -' / ana.b'.length);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(100);
    expect(name.length % '\u{1F469}\u200D\u{1F4BB}'.length).toBe(0);
  });

  it('leaves a placeholder empty when the customer is not known', () => {
    expect(fillAutoReply('Hi {{name}}!', { username: null, name: undefined })).toBe('Hi !');
  });
});
