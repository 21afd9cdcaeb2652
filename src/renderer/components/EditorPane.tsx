import { useEffect, useRef, useState } from 'react';
import type { KubelabApi } from '../../shared';
import { monaco } from './monaco';

const DEFAULT_FILE = 'pod.yaml';
const STARTER = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
`;

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; path: string } | { kind: 'error'; message: string };

/** A Monaco YAML editor on a file in the learner's home directory, shared with the shell. */
export function EditorPane({ api, visible }: { api: KubelabApi; visible: boolean }) {
  const container = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [path, setPath] = useState(DEFAULT_FILE);
  const [draftPath, setDraftPath] = useState(DEFAULT_FILE);
  const [state, setState] = useState<SaveState>({ kind: 'idle' });

  useEffect(() => {
    const editor = monaco.editor.create(container.current!, {
      value: '',
      language: 'yaml',
      theme: 'vs-dark',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      tabSize: 2,
      insertSpaces: true,
      scrollBeyondLastLine: false,
    });
    editorRef.current = editor;
    // Ctrl/Cmd+S saves, as in any editor.
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => saveRef.current());
    return () => editor.dispose();
  }, []);

  useEffect(() => {
    let cancelled = false;
    api.files.read(path).then(
      (content) => {
        if (!cancelled) editorRef.current?.setValue(content || (path === DEFAULT_FILE ? STARTER : ''));
      },
      (e: Error) => !cancelled && setState({ kind: 'error', message: e.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, path]);

  useEffect(() => {
    if (visible) editorRef.current?.layout();
  }, [visible]);

  const openDraft = () => {
    const next = draftPath.trim();
    if (next && next !== path) setPath(next);
    else setDraftPath(path);
  };

  const save = async () => {
    const editor = editorRef.current;
    if (!editor) return;
    setState({ kind: 'saving' });
    try {
      await api.files.write(path, editor.getValue());
      setState({ kind: 'saved', path });
    } catch (e) {
      setState({ kind: 'error', message: (e as Error).message });
    }
  };
  const saveRef = useRef(save);
  saveRef.current = save;

  return (
    <div className="editor-pane">
      <div className="editor-toolbar">
        <label className="file-label">
          ~/
          <input
            aria-label="File name"
            value={draftPath}
            onChange={(e) => setDraftPath(e.target.value)}
            onBlur={openDraft}
            onKeyDown={(e) => e.key === 'Enter' && openDraft()}
            spellCheck={false}
          />
        </label>
        <button className="primary" onClick={() => void save()}>
          Save
        </button>
        <span className={`save-state ${state.kind}`} role="status">
          {state.kind === 'saving' && 'Saving…'}
          {state.kind === 'saved' && `Saved ~/${state.path}`}
          {state.kind === 'error' && state.message}
        </span>
      </div>
      <div className="editor" ref={container} data-testid="editor" />
    </div>
  );
}
