// A starting point for an empty rules file: one allow and one deny rule, in the format the server
// writes back (api/access/rules-yaml.ts), with the wildcard pattern quoted as YAML requires.
export function exampleRulesYaml(model: string): string {
  const account = model.split('/')[0];
  return [
    'authz_rules:',
    `  - name: members-use-${model.split('/')[1]?.replace(/[^A-Za-z0-9._-]/g, '-') ?? 'model'}`,
    `    models: [${model}]`,
    '    roles: [member]',
    '    effect: allow',
    '    priority: 10',
    '  - name: no-guests',
    `    models: ["${account}/*"]`,
    '    roles: [guest]',
    '    effect: deny',
    '',
  ].join('\n');
}
