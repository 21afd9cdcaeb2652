/** Monaco, trimmed to the editor core and YAML, with its worker bundled by Vite. */
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import 'monaco-editor/languages/definitions/yaml/register';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export { monaco };
