// The playground's conversation: turns kept in component state only (never stored), one streaming
// call at a time, Stop aborting it, and the assistant's turn growing delta by delta.
import { useCallback, useEffect, useRef, useState } from 'react';
import { streamChat, type ChatMessage, type ChatUsage } from './stream-chat';

export interface Turn {
  id: number;
  role: 'user' | 'assistant';
  content: string;
  /** Assistant turns: how many deltas arrived (shown to tell a stream from one block). */
  chunks: number;
  usage?: ChatUsage;
  error?: string;
  stopped?: boolean;
  streaming?: boolean;
}

export interface Chat {
  turns: Turn[];
  streaming: boolean;
  send(model: string, system: string, text: string): Promise<void>;
  stop(): void;
  clear(): void;
}

/** What the model sees: the system prompt, then every finished exchange, then the new message. */
function toMessages(system: string, turns: Turn[], text: string): ChatMessage[] {
  const messages: ChatMessage[] = system.trim() ? [{ role: 'system', content: system.trim() }] : [];
  for (const turn of turns) {
    if (turn.role === 'assistant' && (turn.error || !turn.content)) continue;
    messages.push({ role: turn.role, content: turn.content });
  }
  messages.push({ role: 'user', content: text });
  return messages;
}

export function useChat(): Chat {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [streaming, setStreaming] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const nextId = useRef(1);

  // Leaving the page stops a running answer instead of letting it stream into nothing.
  useEffect(() => () => controller.current?.abort(), []);

  const update = (id: number, change: (turn: Turn) => Turn) => setTurns((all) => all.map((t) => (t.id === id ? change(t) : t)));

  const send = useCallback(
    async (model: string, system: string, text: string) => {
      if (controller.current) return;
      const messages = toMessages(system, turns, text);
      const userTurn: Turn = { id: nextId.current++, role: 'user', content: text, chunks: 0 };
      const answerId = nextId.current++;
      setTurns((all) => [...all, userTurn, { id: answerId, role: 'assistant', content: '', chunks: 0, streaming: true }]);
      const abort = new AbortController();
      controller.current = abort;
      setStreaming(true);
      try {
        await streamChat({
          model,
          messages,
          signal: abort.signal,
          onDelta: (delta) => update(answerId, (t) => ({ ...t, content: t.content + delta, chunks: t.chunks + 1 })),
          onUsage: (usage) => update(answerId, (t) => ({ ...t, usage })),
        });
        update(answerId, (t) => ({ ...t, streaming: false }));
      } catch (err) {
        if (abort.signal.aborted) update(answerId, (t) => ({ ...t, streaming: false, stopped: true }));
        else update(answerId, (t) => ({ ...t, streaming: false, error: err instanceof Error ? err.message : String(err) }));
      } finally {
        controller.current = null;
        setStreaming(false);
      }
    },
    [turns],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  const clear = useCallback(() => {
    controller.current?.abort();
    setTurns([]);
  }, []);

  return { turns, streaming, send, stop, clear };
}
