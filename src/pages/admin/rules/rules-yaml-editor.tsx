// The rules as one YAML file (GET /api/admin/rules.yaml), edited in CodeMirror and saved whole with
// PUT (application/yaml). Syntax errors show while typing; the server's errors (syntax or fields)
// show after saving, at their line in the editor and in the list below it.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Box, Button, List, ListItem, ListItemText, Paper, Stack, Typography } from '@mui/material';
import CodeMirror, { type ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { yaml } from '@codemirror/lang-yaml';
import { api } from '../../../api';
import { ErrorAlert, Loading } from '../../../components';
import { useApi } from '../../../hooks/use-api';
import { showYamlErrors, yamlErrorMarks, type YamlError } from './yaml-error-marks';
import { findSyntaxErrors, yamlErrorFrom } from './yaml-errors';
import { exampleRulesYaml } from './rules-example';

const SYNTAX_CHECK_DELAY_MS = 300;

export function RulesYamlEditor() {
  const file = useApi<string>('api/admin/rules.yaml');
  const [text, setText] = useState('');
  /** The server's answer to the last failed save, and the text it was about. */
  const [rejected, setRejected] = useState<{ text: string; errors: YamlError[] } | null>(null);
  const [syntaxErrors, setSyntaxErrors] = useState<YamlError[]>([]);
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const editor = useRef<ReactCodeMirrorRef>(null);
  const extensions = useMemo(() => [yaml(), yamlErrorMarks()], []);

  useEffect(() => {
    if (typeof file.data === 'string') setText(file.data);
  }, [file.data]);

  useEffect(() => {
    const timer = setTimeout(() => setSyntaxErrors(findSyntaxErrors(text)), SYNTAX_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  // The server's verdict holds for the text it judged; once that text is edited, the local syntax
  // check takes over until the next save. Memoised: the marks effect runs only when the list changes.
  const errors = useMemo(() => (rejected && rejected.text === text ? rejected.errors : syntaxErrors), [rejected, text, syntaxErrors]);
  useEffect(() => {
    const view = editor.current?.view;
    if (view) showYamlErrors(view, errors);
  }, [errors]);

  const save = async () => {
    setSaving(true);
    setSavedAt(null);
    try {
      const saved = await api.putText<string>('api/admin/rules.yaml', text, 'application/yaml');
      setRejected(null);
      // The server writes the file back in its canonical form (fixed field order).
      if (typeof saved === 'string') setText(saved);
      setSavedAt(Date.now());
      file.reload();
    } catch (err) {
      setRejected({ text, errors: [yamlErrorFrom(err)] });
    } finally {
      setSaving(false);
    }
  };

  if (file.error) return <ErrorAlert error={file.error} />;
  if (file.data === undefined) return <Loading label="Loading rules file…" />;
  const dirty = text !== file.data;
  const empty = /^authz_rules:\s*\[\]\s*$/.test(text);
  return (
    <Stack spacing={2}>
      <Typography variant="body2" color="text.secondary">
        The whole rule set as YAML under <code>authz_rules:</code>. Saving replaces every rule; a file with an error changes nothing. Quote
        patterns that start with <code>*</code>.
      </Typography>
      <Paper variant="outlined" sx={{ overflow: 'hidden' }} data-testid="yaml-editor">
        <CodeMirror
          ref={editor}
          value={text}
          onChange={(value) => {
            setText(value);
            setSavedAt(null);
          }}
          extensions={extensions}
          height="360px"
          basicSetup={{ foldGutter: false, autocompletion: false }}
          aria-label="Rules YAML"
        />
      </Paper>
      {errors.length > 0 && (
        <Alert severity="error" data-testid="yaml-errors">
          <List dense disablePadding>
            {errors.map((error, index) => (
              <ListItem key={index} disableGutters>
                <ListItemText primary={error.line === null ? error.message : `Line ${error.line}: ${error.message}`} />
              </ListItem>
            ))}
          </List>
        </Alert>
      )}
      {savedAt !== null && (
        <Alert severity="success" data-testid="yaml-saved" onClose={() => setSavedAt(null)}>
          Rules saved. They apply to the next call.
        </Alert>
      )}
      <Box sx={{ display: 'flex', gap: 1, justifyContent: 'flex-end', flexWrap: 'wrap' }}>
        {empty && (
          <Button onClick={() => setText(exampleRulesYaml('openai-main/gpt-4o-mini'))} sx={{ mr: 'auto' }}>
            Start from an example
          </Button>
        )}
        <Button
          onClick={() => {
            setRejected(null);
            setText(file.data ?? '');
          }}
          disabled={!dirty || saving}
        >
          Discard changes
        </Button>
        <Button variant="contained" onClick={() => void save()} disabled={saving} data-testid="yaml-save">
          {saving ? 'Saving…' : 'Save rules'}
        </Button>
      </Box>
    </Stack>
  );
}
