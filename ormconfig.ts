import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { DEFAULT_DATABASE_URL } from '@config/environment';
import { buildDataSourceOptions } from '@database/data-source-options';

if (existsSync('.env')) process.loadEnvFile('.env');

// Used by the typeorm CLI (`npm run migration:run`, `migration:revert`). It
// needs only the database, so it reads DATABASE_URL alone.
export default new DataSource(buildDataSourceOptions(process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL));
