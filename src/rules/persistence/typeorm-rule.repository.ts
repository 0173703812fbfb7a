import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountEntity } from '@accounts';
import { newId } from '@common';
import { currentManager, Transactor } from '@database';
import type { MatchType } from '../matching/matchable-rule';
import type { RuleTrigger } from '../rule-trigger';
import type { NewResponseRule, ResponseRule, ResponseRuleChanges } from '../response-rule';
import { RuleRepository } from '../rule.repository';
import { ResponseRuleEntity } from './response-rule.entity';

const toRule = (row: ResponseRuleEntity): ResponseRule => ({
  id: row.id,
  accountId: row.accountId,
  name: row.name,
  trigger: row.trigger as RuleTrigger,
  matchType: row.matchType as MatchType,
  keywords: row.keywords,
  responseText: row.templateName === null ? row.responseText : null,
  templateName: row.templateName,
  mediaIds: row.mediaIds,
  publicReplyText: row.publicReplyText,
  priority: row.priority,
  isActive: row.isActive,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

@Injectable()
export class TypeOrmRuleRepository extends RuleRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
  ) {
    super();
  }

  private get rows() {
    return currentManager(this.dataSource).getRepository(ResponseRuleEntity);
  }

  private ordered(accountId: string, activeOnly: boolean) {
    const query = this.rows
      .createQueryBuilder('r')
      .where('r.account_id = :accountId', { accountId })
      .orderBy('r.priority', 'DESC')
      .addOrderBy('r.created_at', 'ASC')
      .addOrderBy('r.id', 'ASC');
    if (activeOnly) query.andWhere('r.is_active = :active', { active: true });
    return query;
  }

  async getActiveRules(accountId: string): Promise<ResponseRule[]> {
    return (await this.ordered(accountId, true).getMany()).map(toRule);
  }

  async list(accountId: string): Promise<ResponseRule[]> {
    return (await this.ordered(accountId, false).getMany()).map(toRule);
  }

  async getById(accountId: string, ruleId: string): Promise<ResponseRule | null> {
    const row = await this.rows.findOneBy({ accountId, id: ruleId });
    return row ? toRule(row) : null;
  }

  async create(accountId: string, rule: NewResponseRule): Promise<ResponseRule> {
    const now = new Date();
    const row: ResponseRuleEntity = {
      id: newId(),
      accountId,
      name: rule.name,
      trigger: rule.trigger ?? 'message',
      matchType: rule.matchType,
      keywords: rule.keywords,
      responseText: rule.responseText ?? '',
      templateName: rule.templateName ?? null,
      mediaIds: rule.mediaIds ?? null,
      publicReplyText: rule.publicReplyText ?? null,
      priority: rule.priority ?? 0,
      isActive: rule.isActive ?? true,
      createdAt: now,
      updatedAt: now,
    };
    await this.transactor.run(async () => {
      await this.rows.insert(row);
      await this.bumpVersion(accountId);
    });
    return toRule(row);
  }

  async update(accountId: string, ruleId: string, changes: ResponseRuleChanges): Promise<ResponseRule | null> {
    return this.transactor.run(async () => {
      const result = await this.rows.update(
        { accountId, id: ruleId },
        { ...storedAnswer(changes), updatedAt: new Date() },
      );
      if ((result.affected ?? 0) === 0) return null;
      await this.bumpVersion(accountId);
      return this.getById(accountId, ruleId);
    });
  }

  async delete(accountId: string, ruleId: string): Promise<boolean> {
    return this.transactor.run(async () => {
      const result = await this.rows.delete({ accountId, id: ruleId });
      if ((result.affected ?? 0) === 0) return false;
      await this.bumpVersion(accountId);
      return true;
    });
  }

  async getVersion(accountId: string): Promise<number> {
    const row = await currentManager(this.dataSource)
      .getRepository(AccountEntity)
      .findOne({ where: { id: accountId }, select: { id: true, rulesVersion: true } });
    return row?.rulesVersion ?? 0;
  }

  private async bumpVersion(accountId: string): Promise<void> {
    await currentManager(this.dataSource).getRepository(AccountEntity).increment({ id: accountId }, 'rulesVersion', 1);
  }
}

/** A rule answers with a text or with a template: setting one clears the other. */
function storedAnswer(changes: ResponseRuleChanges): Partial<ResponseRuleEntity> {
  const { responseText, templateName, ...rest } = changes;
  if (templateName) return { ...rest, templateName, responseText: '' };
  if (responseText !== undefined && responseText !== null) return { ...rest, responseText, templateName: null };
  return rest;
}
