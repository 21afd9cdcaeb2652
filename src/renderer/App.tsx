import { useEffect, useState } from 'react';
import type { KubelabApi, SessionInfo } from '../shared';
import { EditorPane } from './components/EditorPane';
import { LabPanel } from './components/LabPanel';
import { OwnKubectl } from './components/OwnKubectl';
import { TerminalPane } from './components/TerminalPane';
import { TopologyPanel } from './components/TopologyPanel';

type Tab = 'terminal' | 'editor';

export function App({ api }: { api: KubelabApi }) {
  const [tab, setTab] = useState<Tab>('terminal');
  const [info, setInfo] = useState<SessionInfo | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.session.info().then(setInfo, (e: Error) => setError(e.message));
  }, [api]);

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ⎈
          </span>
          <span className="brand-name">Kubelab</span>
        </div>
        <div className="cluster-badge" data-testid="cluster-badge">
          {info ? (
            <>
              <span className="dot ok" aria-hidden="true" />
              Kubernetes {info.kubernetesVersion} · {info.nodes.length} nodes
            </>
          ) : error ? (
            <>
              <span className="dot bad" aria-hidden="true" />
              {error}
            </>
          ) : (
            'Starting cluster…'
          )}
        </div>
        <div className="transport">{api.transport === 'ipc' ? 'Desktop' : 'Browser mode'}</div>
        <OwnKubectl api={api} />
      </header>
      <aside className="left">
        <LabPanel />
      </aside>
      <main className="center">
        <div className="tabs" role="tablist">
          <button role="tab" aria-selected={tab === 'terminal'} className={tab === 'terminal' ? 'tab active' : 'tab'} onClick={() => setTab('terminal')}>
            Terminal
          </button>
          <button role="tab" aria-selected={tab === 'editor'} className={tab === 'editor' ? 'tab active' : 'tab'} onClick={() => setTab('editor')}>
            Editor
          </button>
        </div>
        <div className="tab-body">
          <div className="tab-panel" hidden={tab !== 'terminal'}>
            <TerminalPane api={api} visible={tab === 'terminal'} />
          </div>
          <div className="tab-panel" hidden={tab !== 'editor'}>
            <EditorPane api={api} visible={tab === 'editor'} />
          </div>
        </div>
      </main>
      <aside className="right">
        <TopologyPanel info={info} />
      </aside>
    </div>
  );
}
