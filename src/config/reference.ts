/**
 * The generated parts of `docs/configuration.md` — the precedence list and the table of every key
 * — rendered from the same layer list and key table the resolver uses. A test keeps the committed
 * page equal to this output, so the docs cannot drift from the code.
 */
import { envVarName } from './env-source.js';
import { formatValue } from './explain.js';
import { SETTING_KEYS, specOf } from './keys.js';
import { CONFIG_LAYERS } from './resolve.js';
import { typeTextOf } from './type-text.js';

/** Markers around each generated block in the Markdown page. */
export const GENERATED_BLOCKS = {
  precedence: renderPrecedence,
  keys: renderKeyTable,
} as const;

/** A numbered list of the sources, lowest precedence first. */
export function renderPrecedence(): string {
  return CONFIG_LAYERS.map((layer, i) => `${i + 1}. **${layer.name}** — ${layer.summary}`).join('\n');
}

/** A Markdown table: key, type, default, environment variable, description. */
export function renderKeyTable(): string {
  const rows = SETTING_KEYS.map((key) => {
    const spec = specOf(key);
    const fallback = spec.defaultText ?? code(formatValue(spec.default()));
    return `| ${code(key)} | ${code(typeTextOf(key))} | ${fallback} | ${code(envVarName(key))} | ${spec.description} |`;
  });
  return ['| Key | Type | Default | Environment variable | Description |', '|---|---|---|---|---|', ...rows].join('\n');
}

/**
 * Replaces each `<!-- generated:NAME -->` … `<!-- /generated:NAME -->` block of `markdown` with
 * fresh output; the page around the blocks is left as written.
 */
export function renderGeneratedBlocks(markdown: string): string {
  let out = markdown;
  for (const [name, render] of Object.entries(GENERATED_BLOCKS)) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) continue;
    out = `${out.slice(0, start + open.length)}\n${render()}\n${out.slice(end)}`;
  }
  return out;
}

function code(text: string): string {
  return `\`${text.replaceAll('|', '\\|')}\``;
}
