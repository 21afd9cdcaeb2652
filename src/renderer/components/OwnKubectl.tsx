import { useState } from 'react';
import type { ExposedApi, KubelabApi } from '../../shared';

/**
 * "Use your own kubectl": serves the cluster on 127.0.0.1 and shows the one line that points a
 * real kubectl (or k9s, Lens, a client library) at it.
 */
export function OwnKubectl({ api }: { api: KubelabApi }) {
  const [open, setOpen] = useState(false);
  const [exposed, setExposed] = useState<ExposedApi | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [copied, setCopied] = useState(false);

  const toggle = () => {
    const next = !open;
    setOpen(next);
    if (next && !exposed) api.api.expose().then(setExposed, (e: Error) => setError(e.message));
  };
  const copy = async () => {
    if (!exposed) return;
    try {
      await navigator.clipboard.writeText(exposed.command);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };

  return (
    <div className="own-kubectl">
      <button className="header-button" aria-expanded={open} onClick={toggle} data-testid="own-kubectl">
        Use your own kubectl
      </button>
      {open && (
        <div className="popover" role="dialog" aria-label="Use your own kubectl">
          <p>Run this in a terminal on this computer, then use kubectl, k9s or Lens as with any cluster:</p>
          {exposed ? (
            <>
              <div className="command-line">
                <code data-testid="kubeconfig-command">{exposed.command}</code>
                <button className="copy" onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </button>
              </div>
              <p className="muted">
                The API listens on {exposed.url} only, and asks for the token in that kubeconfig.
              </p>
            </>
          ) : error ? (
            <p className="error">{error}</p>
          ) : (
            <p className="muted">Starting the API…</p>
          )}
        </div>
      )}
    </div>
  );
}
