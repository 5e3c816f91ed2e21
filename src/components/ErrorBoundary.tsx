// Keeps one broken page from blanking the whole console: the error shows in words, the shell stays usable.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode; fallback?: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Page crashed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return this.props.fallback ?? <ErrorAlert title="This page failed to display" error={this.state.error} />;
  }
}
