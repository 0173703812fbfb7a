import type { MessageTemplate } from './message-template';
import type { MessageTemplateRepository } from './message-template.repository';
import { RecentTemplates, TEMPLATE_MAX_AGE_MS } from './recent-templates';

describe('RecentTemplates', () => {
  let clock = 0;
  const now = () => clock;
  let stored: Record<string, string>;
  let reads: string[];
  let recent: RecentTemplates;

  beforeEach(() => {
    clock = 1_000_000;
    stored = { 'acc-a/menu': 'Our menu', 'acc-b/menu': 'Their menu' };
    reads = [];
    const repository = {
      getByName: (accountId: string, name: string) => {
        reads.push(`${accountId}/${name}`);
        const text = stored[`${accountId}/${name.toLowerCase()}`];
        return Promise.resolve(text === undefined ? null : ({ name, text } as MessageTemplate));
      },
    } as unknown as MessageTemplateRepository;
    recent = new RecentTemplates(repository);
  });

  const textOf = async (accountId: string, name: string) => (await recent.get(accountId, name, now))?.text ?? null;

  it('reads a template once while it is recent, whatever the case of its name', async () => {
    expect(await textOf('acc-a', 'menu')).toBe('Our menu');
    stored['acc-a/menu'] = 'Changed on another replica';
    clock += TEMPLATE_MAX_AGE_MS - 1;
    expect(await textOf('acc-a', ' MENU ')).toBe('Our menu');
    expect(reads).toEqual(['acc-a/menu']);
  });

  it('reads it again once it is older than the maximum age, so another replica’s change arrives', async () => {
    await textOf('acc-a', 'menu');
    stored['acc-a/menu'] = 'Changed on another replica';
    clock += TEMPLATE_MAX_AGE_MS;
    expect(await textOf('acc-a', 'menu')).toBe('Changed on another replica');
  });

  it('reads the account’s templates again at once after a change here, and only that account’s', async () => {
    await textOf('acc-a', 'menu');
    await textOf('acc-b', 'menu');
    stored['acc-a/menu'] = 'Changed here';
    recent.forget('acc-a');
    expect(await textOf('acc-a', 'menu')).toBe('Changed here');
    expect(await textOf('acc-b', 'menu')).toBe('Their menu');
    expect(reads).toEqual(['acc-a/menu', 'acc-b/menu', 'acc-a/menu']);
  });

  it('keeps knowing that an account has no such template, until told otherwise', async () => {
    expect(await textOf('acc-a', 'hours')).toBeNull();
    stored['acc-a/hours'] = 'We open at 9';
    expect(await textOf('acc-a', 'hours')).toBeNull();
    recent.forget('acc-a');
    expect(await textOf('acc-a', 'hours')).toBe('We open at 9');
  });
});
