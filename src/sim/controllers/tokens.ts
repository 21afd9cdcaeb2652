/**
 * The service account tokens controller (pkg/controller/serviceaccount/tokens_controller.go):
 * a Secret of type kubernetes.io/service-account-token that names a ServiceAccount gets a
 * legacy token (a JWT with the kubernetes/serviceaccount issuer), the cluster CA and the
 * namespace, and the ServiceAccount's UID in an annotation; a token Secret whose ServiceAccount
 * does not exist (or is a different one by UID) is deleted, and so are a deleted ServiceAccount's
 * token Secrets. Since 1.24 nothing creates such Secrets by itself: users do, for long-lived tokens.
 */
import { base64Encode } from '../bytes';
import { signJwt } from '../jwt';
import { errorMessage } from './replicaset';
import { keyOf, RetryableError, type Controller, type ControllerContext, type Informer, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOKEN_TYPE = 'kubernetes.io/service-account-token';
const SA_NAME = 'kubernetes.io/service-account.name';
const SA_UID = 'kubernetes.io/service-account.uid';

export function tokensController(caCert: string): Controller {
  return new TokensController(caCert);
}

class TokensController implements Controller {
  readonly name = 'tokens-controller';
  private ctx!: ControllerContext;
  private secrets!: Informer;
  private accounts!: Informer;
  constructor(private readonly caCert: string) {}

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.secrets = ctx.informers.for('secrets');
    this.accounts = ctx.informers.for('serviceaccounts');
    this.secrets.addIndex('token-for', (s) => (s.type === TOKEN_TYPE ? `${s.metadata.namespace}/${s.metadata.annotations?.[SA_NAME] ?? ''}` : undefined));
    const queueSecret = (s: Obj) => (s.type === TOKEN_TYPE ? ctx.queue.add(`secret/${keyOf(s)}`) : undefined);
    this.secrets.on({ add: queueSecret, update: (_, s) => queueSecret(s) });
    // A ServiceAccount that goes (or is replaced) takes its token Secrets with it.
    const queueAccount = (sa: Obj) => {
      for (const s of this.secrets.byIndex('token-for', keyOf(sa))) ctx.queue.add(`secret/${keyOf(s)}`);
    };
    this.accounts.on({ add: queueAccount, delete: queueAccount }, false);
  }

  reconcile(item: string): ReconcileResult {
    const key = item.slice('secret/'.length);
    const secret = this.secrets.get(key);
    if (!secret || secret.type !== TOKEN_TYPE || secret.metadata.deletionTimestamp) return;
    const ns = secret.metadata.namespace as string;
    const saName: string | undefined = secret.metadata.annotations?.[SA_NAME];
    const sa = saName ? this.accounts.get(`${ns}/${saName}`) : undefined;
    const wantedUid: string | undefined = secret.metadata.annotations?.[SA_UID];
    if (!sa || (wantedUid && wantedUid !== sa.metadata.uid)) {
      const res = this.ctx.request({ method: 'DELETE', path: `/api/v1/namespaces/${ns}/secrets/${secret.metadata.name}`, body: { preconditions: { uid: secret.metadata.uid } } });
      if (res.status >= 500) throw new RetryableError(errorMessage(res));
      return;
    }
    const data: Record<string, string> = secret.data ?? {};
    if (data.token && data['ca.crt'] && data.namespace && wantedUid) return;
    const next = {
      ...this.secrets.versioned(secret),
      metadata: { ...this.secrets.versioned(secret).metadata, annotations: { ...(secret.metadata.annotations ?? {}), [SA_UID]: sa.metadata.uid } },
      data: {
        ...data,
        'ca.crt': data['ca.crt'] ?? base64Encode(this.caCert),
        namespace: data.namespace ?? base64Encode(ns),
        token: data.token ?? base64Encode(this.token(ns, secret.metadata.name, sa)),
      },
    };
    const res = this.ctx.request({ method: 'PUT', path: `/api/v1/namespaces/${ns}/secrets/${secret.metadata.name}`, body: next });
    if (res.status === 409 || res.status >= 500) throw new RetryableError(errorMessage(res));
  }

  /** LegacyClaims, as a JWT. */
  private token(ns: string, secretName: string, sa: Obj): string {
    return signJwt({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': ns,
      'kubernetes.io/serviceaccount/secret.name': secretName,
      'kubernetes.io/serviceaccount/service-account.name': sa.metadata.name,
      'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
      sub: `system:serviceaccount:${ns}:${sa.metadata.name}`,
    });
  }
}
