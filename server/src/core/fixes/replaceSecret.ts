import type { AgentBinding, CredentialBinding, InlineSecret } from '../bindings/model';
import type { Finding } from '../findings/finding';
import { LineIndex } from '../text/lineIndex';
import type { McpConfig, McpCredential, McpServerConfig } from '../tools/mcpConfigModel';
import type { Fix, FixContext } from './model';
import { envName, sameRange, textOf } from './text';

/** An auth scheme the reference keeps in front of it (`Bearer ${env:TOKEN}`). */
const SCHEME = /^(Bearer|Basic|Token|Bot|ApiKey)\s+/i;

/**
 * AG007: the literal secret replaced by a reference to an environment variable named after its
 * key, in the reference syntax of the file's client; in a binding, also moved to the
 * credential's `secretRef` (the one key a binding has for it) when the secret sits under
 * another key. Titles name the variable, never the secret.
 */
export function replaceSecretFixes(ctx: FixContext, finding: Finding): Fix[] {
  const config = ctx.agents.mcpConfigs().find((c) => c.file === finding.file);
  if (config) return mcpFixes(ctx, finding, config);
  const binding = ctx.agents.bindings().find((b) => b.file === finding.file);
  return binding ? bindingFixes(finding, binding) : [];
}

function mcpFixes(ctx: FixContext, finding: Finding, config: McpConfig): Fix[] {
  const found = config.servers
    .flatMap((server) => server.credentials.map((credential) => ({ server, credential })))
    .find(({ credential: c }) => c.valueKind === 'literal' && sameRange(c.range, finding.range));
  const text = textOf(ctx, finding.file);
  const reference = found && referenceSyntax(config.kind);
  if (!found || text === undefined || !reference) return [];
  const { server, credential } = found;
  if (credential.location !== 'env' && credential.location !== 'headers') return [];
  const lines = new LineIndex(text);
  let value: unknown;
  try {
    value = JSON.parse(text.slice(lines.offsetAt(finding.range.start), lines.offsetAt(finding.range.end)));
  } catch {
    return [];
  }
  if (typeof value !== 'string') return [];
  const ref = reference(variableOf(server, credential));
  const scheme = SCHEME.exec(value)?.[0] ?? '';
  return [
    {
      title: `Replace the secret with ${ref}`,
      ruleId: finding.ruleId,
      finding,
      edits: [{ file: finding.file, range: finding.range, newText: JSON.stringify(scheme + ref) }],
      isPreferred: true,
    },
  ];
}

/**
 * VS Code (and the other `mcp.json` clients) expand `${env:NAME}`, Claude Code `${NAME}`; Claude
 * Desktop expands nothing, so a reference there would be passed on as text: no fix.
 */
function referenceSyntax(kind: McpConfig['kind']): ((name: string) => string) | undefined {
  if (kind === 'claude-desktop') return undefined;
  return kind === 'claude-code' ? (n) => `\${${n}}` : (n) => `\${env:${n}}`;
}

/** An `env` key is already the variable's name; a header is named after its server (`PAYMENTS_TOKEN`). */
function variableOf(server: McpServerConfig, c: McpCredential): string {
  if (c.location === 'env') return /^[A-Za-z_][A-Za-z0-9_]*$/.test(c.key) ? c.key : envName(c.key);
  return envName(server.name, /^(authorization|proxy-authorization)$/i.test(c.key) ? 'token' : c.key);
}

function bindingFixes(finding: Finding, binding: AgentBinding): Fix[] {
  const found = binding.credentials
    .flatMap((credential) => credential.inlineSecrets.map((secret) => ({ credential, secret })))
    .find(({ secret }) => sameRange(secret.range, finding.range));
  if (!found) return [];
  const { credential, secret } = found;
  const json = /\.json$/i.test(binding.file);
  const ref = `\${env:${bindingVariable(binding, credential, secret)}}`;
  const quoted = JSON.stringify(ref);
  const fixes: Fix[] = [];
  const keyRange = credential.keys[secret.key]?.key;
  // A secret under another key (`token: …`) moves to `secretRef`, the key a binding reads it from.
  if (secret.key !== 'secretRef' && !credential.keys.secretRef && keyRange)
    fixes.push({
      title: `Use a secretRef (${ref}) instead of \`${secret.key}\``,
      ruleId: finding.ruleId,
      finding,
      edits: [
        {
          file: binding.file,
          range: { start: keyRange.start, end: secret.range.end },
          newText: json ? `"secretRef": ${quoted}` : `secretRef: ${quoted}`,
        },
      ],
      isPreferred: true,
    });
  fixes.push({
    title: `Replace the secret with ${ref}`,
    ruleId: finding.ruleId,
    finding,
    edits: [{ file: binding.file, range: secret.range, newText: quoted }],
    ...(fixes.length ? {} : { isPreferred: true }),
  });
  return fixes;
}

/** `payments-api` + `token` → `PAYMENTS_API_TOKEN`; a `secretRef` or `value` is the credential's `…_SECRET`. */
function bindingVariable(binding: AgentBinding, credential: CredentialBinding, secret: InlineSecret): string {
  const key = secret.key === 'secretRef' || secret.key === 'value' ? 'secret' : secret.key;
  return envName(credential.name || binding.name, key);
}
