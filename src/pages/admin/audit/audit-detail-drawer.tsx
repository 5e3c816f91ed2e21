// One audit event in full: who, what, when, from where, the before/after snapshots exactly as stored
// (they were masked when recorded: credentials appear only as first-four/last-four), and its hashes.
import { Box, Divider, Drawer, IconButton, Stack, Typography } from '@mui/material';
import Close from '@mui/icons-material/Close';
import type { AuditEventView } from '../parts/api-types';

function Field({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
        {value ?? '—'}
      </Typography>
    </Box>
  );
}

function Snapshot({ label, value, testId }: { label: string; value: unknown; testId: string }) {
  return (
    <Box>
      <Typography variant="subtitle2">{label}</Typography>
      {value === null || value === undefined ? (
        <Typography variant="body2" color="text.secondary">
          none
        </Typography>
      ) : (
        <Box
          component="pre"
          data-testid={testId}
          sx={{ m: 0, p: 1.5, bgcolor: 'action.hover', borderRadius: 1, fontSize: 12, overflow: 'auto', maxHeight: 320, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
        >
          {JSON.stringify(value, null, 2)}
        </Box>
      )}
    </Box>
  );
}

export function AuditDetailDrawer({ event, onClose }: { event: AuditEventView | null; onClose(): void }) {
  return (
    <Drawer
      anchor="right"
      open={event !== null}
      onClose={onClose}
      // Above the shell's app bar, which sits over its own navigation drawer.
      sx={{ zIndex: (theme) => theme.zIndex.modal }}
      slotProps={{ paper: { sx: { width: { xs: '100%', sm: 520 } } } }}
    >
      {event && (
        <Stack spacing={2} sx={{ p: 2 }} data-testid="audit-detail">
          <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
            <Typography variant="h6" component="h2">
              {event.action}
            </Typography>
            <IconButton aria-label="Close details" onClick={onClose}>
              <Close />
            </IconButton>
          </Stack>
          <Stack direction="row" spacing={3} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
            <Field label="Seq" value={event.seq} />
            <Field label="Time" value={new Date(event.time).toLocaleString()} />
            <Field label="IP" value={event.ip} />
          </Stack>
          <Field label="Actor" value={`${event.actor.did} (${event.actor.role}, ${event.actor.method})`} />
          <Field label="Target" value={`${event.target.type}${event.target.id ? ` ${event.target.id}` : ''}`} />
          <Field label="Request id" value={event.requestId} />
          <Divider />
          <Snapshot label="Before" value={event.before} testId="audit-before" />
          <Snapshot label="After" value={event.after} testId="audit-after" />
          <Divider />
          <Field label="Hash" value={<code>{event.hash}</code>} />
          <Field label="Previous hash" value={<code>{event.prevHash}</code>} />
        </Stack>
      )}
    </Drawer>
  );
}
