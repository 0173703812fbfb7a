import { MissingTemplateParameterError } from './missing-template-parameter.error';

/** `{{ name }}`: letters, digits, `_`, `.` and `-`, with optional spaces inside the braces. */
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

/** The names of a template's placeholders, each once, in order of first use. */
export function templateParameters(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (match) => match[1]))];
}

/**
 * Fills every `{{name}}` of a message template from `params`. Values are
 * inserted as they are, never read as placeholders themselves. Parameters the
 * template does not use are ignored.
 *
 * @throws MissingTemplateParameterError naming every parameter without a value.
 */
export function renderTemplate(text: string, params: Readonly<Record<string, string>>): string {
  // Only own values count, so a parameter named like `constructor` is never filled from Object.prototype.
  const valueOf = (name: string): string | undefined => {
    const value: unknown = Object.hasOwn(params, name) ? params[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  const missing = templateParameters(text).filter((name) => valueOf(name) === undefined);
  if (missing.length > 0) throw new MissingTemplateParameterError(missing);
  return text.replace(PLACEHOLDER, (_placeholder, name: string) => valueOf(name) ?? '');
}
