/** Shapes of Kubernetes API objects and requests as the simulation serves them (JSON). */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

export interface KubeList {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

/** metav1.Status, as the API server returns for errors and some deletions. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: { reason: string; message: string; field?: string }[];
  };
  code?: number;
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  /** PartialObjectMetadata by default; the object itself with includeObject=Object; absent with None. */
  object?: { kind: 'PartialObjectMetadata'; apiVersion: 'meta.k8s.io/v1'; metadata: ObjectMeta } | KubeObject;
}

/** meta.k8s.io/v1 Table, the server-side rendering kubectl prints. */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export type PatchType =
  | 'application/json-patch+json'
  | 'application/merge-patch+json'
  | 'application/strategic-merge-patch+json'
  | 'application/apply-patch+yaml';

/** An HTTP-shaped request, the same whether it comes in-process or through the HTTP facade. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** e.g. "/api/v1/namespaces/default/pods/web" */
  path: string;
  query?: Record<string, string>;
  /** Response media type: a Table rendering, or the object itself. */
  as?: 'Table' | 'Object';
  /** The body as parsed JSON. */
  body?: unknown;
  /**
   * A hint to in-process clients, never sent: the caller only reads the response, so it may get
   * the server's own answer (whose parts shared with the store are frozen) instead of a copy.
   */
  readOnly?: boolean;
  /** The body as sent, when the caller has it (for duplicate-field detection). */
  rawBody?: string;
  /** For PATCH: the patch format. */
  contentType?: PatchType;
  /** Who is asking (the request trace shows it): "kubectl", "kube-scheduler", "kubelet/node01", … */
  userAgent?: string;
  /**
   * The identity the request acts as when the client impersonates (kubectl --as, --as-group):
   * RBAC then decides. Without it the caller is kubeadm's kubernetes-admin.
   */
  impersonate?: { username: string; groups?: string[]; uid?: string };
}

export interface ApiResponse {
  status: number;
  body: unknown;
  /** Warning headers (e.g. unknown fields under fieldValidation=Warn). */
  warnings?: string[];
}

export interface WatchEventObject {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}
