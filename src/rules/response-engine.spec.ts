import { ResponseEngine } from './response-engine';
import type { ResponseRule } from './response-rule';

const rule = (fields: Partial<ResponseRule>): ResponseRule => ({
  id: 'rule-1',
  accountId: 'acc-1',
  name: 'shipping',
  trigger: 'message',
  matchType: 'word',
  keywords: ['ship'],
  responseText: 'Hi {{name}}, we ship worldwide.',
  mediaIds: null,
  publicReplyText: null,
  templateName: null,
  priority: 0,
  isActive: true,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  ...fields,
});

describe('ResponseEngine.decide', () => {
  const engine = new ResponseEngine();

  it('answers with the first matching rule, its text as written (names are filled in when it is sent)', () => {
    const decision = engine.decide({ fallbackResponse: 'Thanks!' }, 'Do you ship to Berlin?', [rule({})]);
    expect(decision).toMatchObject({ source: 'rule', text: 'Hi {{name}}, we ship worldwide.' });
    expect(decision.rule?.id).toBe('rule-1');
    expect(decision.reason).toContain('keyword "ship"');
  });

  it('falls back to the account’s fallback response when no rule matches', () => {
    expect(engine.decide({ fallbackResponse: 'Thanks!' }, 'hello', [rule({})])).toMatchObject({
      source: 'fallback',
      rule: null,
      text: 'Thanks!',
    });
  });

  it('answers nothing without a match and without a fallback, or with a blank one', () => {
    for (const fallbackResponse of [null, '   ']) {
      expect(engine.decide({ fallbackResponse }, 'hello', [rule({})])).toMatchObject({ source: 'none', text: null });
    }
  });

  it('ignores inactive rules, and a message without text matches no keyword', () => {
    expect(engine.decide({ fallbackResponse: null }, 'ship', [rule({ isActive: false })]).source).toBe('none');
    expect(engine.decide({ fallbackResponse: null }, null, [rule({})]).source).toBe('none');
  });
});
