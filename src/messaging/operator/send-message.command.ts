import { Command, CommandRunner, Option } from 'nest-commander';
import { AccountRepository, AccountsService, validatedInput } from '@accounts';
import { CliOutput, ID_PATTERN } from '@common';
import type { Message } from '../message';
import { ImmediateDispatch } from '../outbox/immediate-dispatch';
import { SendMessageDto } from './dto/send-message.dto';
import { OperatorMessagesService } from './operator-messages.service';

interface SendMessageOptions {
  account: string;
  to: string;
  text?: string;
  template?: string;
  param?: Record<string, string>;
  tag?: string;
  image?: string;
  video?: string;
  audio?: string;
  file?: string;
  sticker?: string;
  replyTo?: string;
}

const MEDIA_FLAGS = ['image', 'video', 'audio', 'file'] as const;

const IGSID = /^\d+$/;

const isSent = (message: Message) => message.status === 'sent' || message.status === 'delivered';

@Command({
  name: 'send-message',
  description:
    'send a message now, through the same outbox as the server: --to an IGSID or @username (from the contacts), ' +
    '--text (optionally --reply-to <mid>), --template with --param name=value, --image/--video/--audio/--file <https url> ' +
    'or --sticker like_heart; prints the Graph API message id',
})
export class SendMessageCommand extends CommandRunner {
  constructor(
    private readonly accounts: AccountsService,
    private readonly accountsByName: AccountRepository,
    private readonly operatorMessages: OperatorMessagesService,
    private readonly dispatch: ImmediateDispatch,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(_args: string[], options: SendMessageOptions): Promise<void> {
    const accountId = await this.accountIdOf(options.account);
    const to = options.to.trim();
    const media = MEDIA_FLAGS.filter((type) => options[type] !== undefined);
    if (media.length > 1) throw new Error(`give one of --${media.join(', --')}, not several`);
    const input = await validatedInput(SendMessageDto, {
      ...(IGSID.test(to) ? { recipientId: to } : { recipientUsername: to }),
      text: options.text,
      templateName: options.template,
      params: options.param,
      tag: options.tag,
      attachment: media.length === 1 ? { type: media[0], url: options[media[0]] } : undefined,
      sticker: options.sticker,
      replyToMid: options.replyTo,
    });
    const queued = await this.operatorMessages.queue(accountId, input.toOperatorMessage());
    const settled = await this.dispatch.sendNow(queued);
    for (const message of settled.filter(isSent)) {
      this.out.line(`sent message ${message.id}; Graph API message id: ${message.mid ?? '(none returned)'}`);
    }
    const unsent = settled.find((message) => !isSent(message));
    if (unsent) throw new Error(whyNotSent(unsent));
  }

  private async accountIdOf(idOrUsername: string): Promise<string> {
    if (ID_PATTERN.test(idOrUsername)) return (await this.accounts.get(idOrUsername)).id;
    const account = await this.accountsByName.getByUsername(idOrUsername);
    if (!account) throw new Error(`no account with id or username "${idOrUsername}"`);
    return account.id;
  }

  @Option({ flags: '--account <id or username>', description: 'the account that sends', required: true })
  parseAccount(value: string): string {
    return value;
  }

  @Option({ flags: '--to <IGSID or @username>', description: 'who receives it', required: true })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--text <text>', description: 'the message (split into parts over 1000 bytes)' })
  parseText(value: string): string {
    return value;
  }

  @Option({ flags: '--template <name>', description: 'send one of the account’s templates instead of --text' })
  parseTemplate(value: string): string {
    return value;
  }

  @Option({ flags: '--param <name=value>', description: 'a template parameter; repeat for each' })
  parseParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
    const separator = value.indexOf('=');
    if (separator < 1) throw new Error(`--param expects name=value, got "${value}"`);
    return { ...previous, [value.slice(0, separator).trim()]: value.slice(separator + 1) };
  }

  @Option({ flags: '--image <https url>', description: 'send an image by URL instead of --text' })
  parseImage(value: string): string {
    return value;
  }

  @Option({ flags: '--video <https url>', description: 'send a video by URL instead of --text' })
  parseVideo(value: string): string {
    return value;
  }

  @Option({ flags: '--audio <https url>', description: 'send an audio file by URL instead of --text' })
  parseAudio(value: string): string {
    return value;
  }

  @Option({ flags: '--file <https url>', description: 'send a file (a PDF, say) by URL instead of --text' })
  parseFile(value: string): string {
    return value;
  }

  @Option({ flags: '--sticker <sticker>', description: 'like_heart: send a sticker instead of --text' })
  parseSticker(value: string): string {
    return value;
  }

  @Option({ flags: '--reply-to <mid>', description: 'quote-reply to this message of the conversation (with --text)' })
  parseReplyTo(value: string): string {
    return value;
  }

  @Option({ flags: '--tag <tag>', description: 'HUMAN_AGENT: a person’s reply after 24 hours, up to 7 days' })
  parseTag(value: string): string {
    return value;
  }
}

function whyNotSent(message: Message): string {
  const reason = message.lastError ?? 'an earlier message of this conversation is still waiting to be sent';
  if (message.status === 'failed') return `message ${message.id} failed: ${reason}`;
  if (message.status === 'sending') return `message ${message.id} is still being sent by another process`;
  return `message ${message.id} is queued but not sent yet (${reason}); the server's outbox keeps trying`;
}
