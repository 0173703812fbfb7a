import { Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { decodeCursor, type Page, pageOf } from '@common';
import { currentManager } from '@database';
import type { Mention } from '../mentions/mention';
import { type MentionFilter, Mentions } from '../mentions/mentions';
import { MentionEntity } from './mention.entity';

const toMention = (row: MentionEntity): Mention => ({
  id: row.id,
  accountId: row.accountId,
  mediaId: row.mediaId,
  commentId: row.commentId,
  mentionedAt: row.mentionedAt,
  source: row.source,
  createdAt: row.createdAt,
});

@Injectable()
export class TypeOrmMentions extends Mentions {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async list(accountId: string, filter: MentionFilter, limit: number, cursor: string | null): Promise<Page<Mention>> {
    const before = cursor === null ? null : String(decodeCursor(cursor, 1)[0]);
    const rows = await currentManager(this.dataSource)
      .getRepository(MentionEntity)
      .find({
        where: {
          accountId,
          ...(filter.mediaId === undefined ? {} : { mediaId: filter.mediaId }),
          ...(before === null ? {} : { id: LessThan(before) }),
        },
        order: { id: 'DESC' },
        take: limit + 1,
      });
    return pageOf(rows.map(toMention), limit, (mention) => [mention.id]);
  }
}
