import { metaFixture } from '../../../test/support/fake-graph-api';
import type { Message } from '../message';
import type { MessageTemplate } from '@templates/message-template';
import { mediaPart, quoteReplyParts, stickerPart, templateParts, textParts } from './outbound-parts';
import { buildSendApiRequest } from './send-api-request';

type Row = Pick<Message, 'id' | 'recipientId' | 'text' | 'payload' | 'tag'>;
const RECIPIENT = '1029384756102938';
const row = (fields: Partial<Row>): Row => ({
  id: 'm1',
  recipientId: RECIPIENT,
  text: null,
  payload: null,
  tag: null,
  ...fields,
});

const template = (fields: Partial<MessageTemplate>): MessageTemplate => ({
  id: 't1',
  accountId: 'a1',
  name: 'welcome',
  text: 'Hi',
  quickReplies: [],
  elements: [],
  buttons: [],
  attachments: [],
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...fields,
});

/** Each part of a template as the Send API body the dispatcher would post. */
const bodiesOf = (parts: ReturnType<typeof templateParts>) =>
  parts.map((part) => buildSendApiRequest(row({ text: part.text, payload: part.payload })));

describe('the Send API bodies, as Meta’s samples have them', () => {
  it('sends a text as send-api-request-text.json', () => {
    const fixture = metaFixture<{ message: { text: string } }>('send-api-request-text.json');
    const [part] = textParts(fixture.message.text);
    expect(JSON.stringify(buildSendApiRequest(row(part)))).toBe(JSON.stringify(fixture));
  });

  it('tags a late human reply as send-api-request-human-agent.json', () => {
    const fixture = metaFixture<{ message: { text: string } }>('send-api-request-human-agent.json');
    const body = buildSendApiRequest(row({ text: fixture.message.text, tag: 'HUMAN_AGENT' }));
    expect(JSON.stringify(body)).toBe(JSON.stringify(fixture));
  });

  it('puts a template’s quick replies under its text as send-api-request-quick-replies.json', () => {
    const fixture = metaFixture<{ message: { text: string } }>('send-api-request-quick-replies.json');
    const parts = templateParts(
      template({
        text: fixture.message.text,
        quickReplies: [
          { title: 'Opening hours', payload: 'HOURS' },
          { title: 'Shipping', payload: 'SHIPPING' },
        ],
      }),
      {},
    );
    expect(bodiesOf(parts).map((body) => JSON.stringify(body))).toEqual([JSON.stringify(fixture)]);
  });

  it('sends a template’s cards after its text, as send-api-request-generic-template.json', () => {
    const fixture = metaFixture('send-api-request-generic-template.json');
    const parts = templateParts(
      template({
        text: 'Hi {{name}}, this one is back:',
        elements: [
          {
            title: 'Spring jacket',
            subtitle: 'Available in 3 colours',
            imageUrl: 'https://example.com/images/jacket.jpg',
            defaultActionUrl: 'https://example.com/products/jacket',
            buttons: [
              { type: 'web_url', url: 'https://example.com/products/jacket', title: 'View' },
              { type: 'postback', title: 'Ask a question', payload: 'ASK_JACKET' },
            ],
          },
        ],
      }),
      { name: 'Anna' },
    );
    expect(parts.map((part) => part.type)).toEqual(['text', 'template']);
    const [text, cards] = bodiesOf(parts);
    expect(text).toEqual({ recipient: { id: RECIPIENT }, message: { text: 'Hi Anna, this one is back:' } });
    expect(JSON.stringify(cards)).toBe(JSON.stringify(fixture));
  });

  it('leaves out the card fields that are not set', () => {
    const [, cards] = bodiesOf(
      templateParts(
        template({
          elements: [{ title: 'Plain', subtitle: null, imageUrl: null, defaultActionUrl: null, buttons: [] }],
        }),
        {},
      ),
    );
    expect(cards.message).toEqual({
      attachment: { type: 'template', payload: { template_type: 'generic', elements: [{ title: 'Plain' }] } },
    });
  });
});

describe('rich Send API bodies, as Meta’s samples have them', () => {
  const bodyOf = (part: ReturnType<typeof textParts>[number]) =>
    JSON.stringify(buildSendApiRequest({ id: 'm1', recipientId: RECIPIENT, tag: null, ...part }));

  it('sends an image by URL as send-api-request-image-url.json, and a file as send-api-request-file-url.json', () => {
    const image = metaFixture<{ message: { attachment: { payload: { url: string } } } }>(
      'send-api-request-image-url.json',
    );
    expect(bodyOf(mediaPart('image', image.message.attachment.payload.url))).toBe(JSON.stringify(image));
    const file = metaFixture<{ message: { attachment: { payload: { url: string } } } }>(
      'send-api-request-file-url.json',
    );
    expect(bodyOf(mediaPart('file', file.message.attachment.payload.url))).toBe(JSON.stringify(file));
  });

  it('sends the heart sticker as send-api-request-sticker.json', () => {
    expect(bodyOf(stickerPart('like_heart'))).toBe(JSON.stringify(metaFixture('send-api-request-sticker.json')));
  });

  it('quotes a message with reply_to as send-api-request-reply-to.json, on the first part only', () => {
    const fixture = metaFixture<{ message: { text: string }; reply_to: { mid: string } }>(
      'send-api-request-reply-to.json',
    );
    const [first] = quoteReplyParts(fixture.message.text, fixture.reply_to.mid);
    expect(bodyOf(first)).toBe(JSON.stringify(fixture));
    const parts = quoteReplyParts('word '.repeat(500).trim(), fixture.reply_to.mid);
    expect(parts.map((part) => part.metadata ?? null)).toEqual([{ replyToMid: fixture.reply_to.mid }, null, null]);
  });

  it('shows sent media in the history as a customer’s media is shown', () => {
    expect(mediaPart('audio', 'https://example.com/a.m4a').attachments).toEqual([
      { type: 'audio', payload: { url: 'https://example.com/a.m4a' } },
    ]);
  });
});

describe('message parts', () => {
  it('splits a long text into parts of at most 1000 bytes, in order', () => {
    const text = 'word '.repeat(500).trim();
    const parts = textParts(text);
    expect(parts).toHaveLength(3);
    expect(parts.every((part) => Buffer.byteLength(part.text ?? '') <= 1000)).toBe(true);
    expect(parts.map((part) => part.text).join(' ')).toBe(text);
  });

  it('puts quick replies under the last part of a long template', () => {
    const parts = templateParts(template({ text: '{{body}}', quickReplies: [{ title: 'Yes', payload: 'YES' }] }), {
      body: 'x '.repeat(700).trim(),
    });
    expect(parts.map((part) => part.payload === null)).toEqual([true, false]);
    expect(parts[1].payload).toEqual({
      text: parts[1].text,
      quick_replies: [{ content_type: 'text', title: 'Yes', payload: 'YES' }],
    });
  });

  it('refuses a missing parameter, naming it', () => {
    expect(() => templateParts(template({ text: 'Order {{order}} for {{name}}' }), { name: 'Anna' })).toThrow(
      'missing template parameter: order',
    );
  });

  it('refuses an empty message', () => {
    expect(() => textParts('   ')).toThrow('the message is empty');
    expect(() => templateParts(template({ text: '{{x}}' }), { x: ' ' })).toThrow('the filled-in template is empty');
  });
});

describe('buildSendApiRequest: private replies to comments', () => {
  it('addresses the comment, as Meta’s private-reply sample does', () => {
    const sample = metaFixture<{ recipient: { comment_id: string }; message: { text: string } }>(
      'send-api-request-private-reply.json',
    );
    expect(
      buildSendApiRequest({ ...row({ text: sample.message.text }), commentId: sample.recipient.comment_id }),
    ).toEqual(sample);
  });
});
