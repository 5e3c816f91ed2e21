// /api/admin/rules and /api/admin/rules.yaml: authorization rules (owner/admin only; the guard is
// mounted in app.ts). Mounted at the admin root because rules.yaml sits beside rules/.
import express, { Router } from 'express';
import { parseInput } from '../http/validate';
import { actorOf } from '../http/request-context';
import { KeyholdError } from '../errors';
import { rulePatchSchema, ruleInputSchema } from '../access/rule-schema';
import { createRule, deleteRule, findRule, listRules, listRulesInFileOrder, replaceRules, updateRule, type RulesDeps } from '../access/rules';
import { formatRulesYaml, parseRulesYaml } from '../access/rules-yaml';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'];

export function rulesRoutes(deps: RulesDeps): Router {
  const router = Router();
  router.get('/rules', async (_req, res) => {
    res.json({ data: await listRules() });
  });
  router.post('/rules', async (req, res) => {
    const input = parseInput(ruleInputSchema, req.body);
    res.status(201).json(await createRule(deps, actorOf(req), input));
  });
  router.get('/rules.yaml', async (_req, res) => {
    res.type('application/yaml').send(formatRulesYaml(await listRulesInFileOrder()));
  });
  router.put('/rules.yaml', express.text({ type: YAML_TYPES, limit: '1mb' }), async (req, res) => {
    if (!req.is(YAML_TYPES)) {
      throw new KeyholdError('Send the rules file as YAML (content-type: application/yaml).', 'ERR_VALIDATION', 415, 'invalid_request_error', 'content-type');
    }
    const inputs = parseRulesYaml(typeof req.body === 'string' ? req.body : '');
    await replaceRules(deps, actorOf(req), inputs);
    res.type('application/yaml').send(formatRulesYaml(await listRulesInFileOrder()));
  });
  router.get('/rules/:id', async (req, res) => {
    res.json(await findRule(req.params.id));
  });
  router.patch('/rules/:id', async (req, res) => {
    const input = parseInput(rulePatchSchema, req.body);
    res.json(await updateRule(deps, actorOf(req), req.params.id, input));
  });
  router.delete('/rules/:id', async (req, res) => {
    await deleteRule(deps, actorOf(req), req.params.id);
    res.status(204).end();
  });
  return router;
}
