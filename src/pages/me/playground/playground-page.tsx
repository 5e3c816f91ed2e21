// /playground: chat with a model as the signed-in user. The picker offers only the models
// GET /v1/models returns for this user; the conversation lives in this page's state and is gone
// when the page is left or cleared.
import { useEffect, useState, type ReactNode } from 'react';
import { Button, Stack } from '@mui/material';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../../components';
import { useAllowedModels } from '../parts/use-allowed-models';
import { MessageBox, ModelAndSystem } from './composer';
import { MessageList } from './message-list';
import { useChat } from './use-chat';

export function PlaygroundPage() {
  const models = useAllowedModels();
  const chat = useChat();
  const [model, setModel] = useState('');
  const [system, setSystem] = useState('');

  // Keep the choice while it stays allowed; otherwise fall back to the first allowed model.
  useEffect(() => {
    if (!models.ids.includes(model)) setModel(models.ids[0] ?? '');
  }, [models.ids, model]);

  let body: ReactNode;
  if (models.error) body = <ErrorAlert error={models.error} title="Your models could not be loaded" action={<Button onClick={models.reload}>Retry</Button>} />;
  else if (models.loading && models.ids.length === 0) body = <Loading label="Loading your models…" />;
  else if (models.ids.length === 0)
    body = (
      <EmptyState
        title="No model is available to you yet"
        hint="An administrator must add a provider account and allow you a model (an access rule for you or your role). Ask them, then reload this page."
        action={<Button onClick={models.reload}>Reload</Button>}
      />
    );
  else
    body = (
      <Stack spacing={2}>
        <ModelAndSystem models={models.ids} model={model} onModel={setModel} system={system} onSystem={setSystem} />
        <MessageList turns={chat.turns} />
        <MessageBox
          streaming={chat.streaming}
          canClear={chat.turns.length > 0}
          onSend={(text) => void chat.send(model, system, text)}
          onStop={chat.stop}
          onClear={chat.clear}
        />
      </Stack>
    );

  return (
    <>
      <PageHeader title="Playground" subtitle="Try the models you are allowed. Calls count towards your usage and limits; nothing you write here is stored by this page." />
      {body}
    </>
  );
}
