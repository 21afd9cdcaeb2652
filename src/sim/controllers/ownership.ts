/**
 * Adoption and release (ControllerRefManager's AdoptX/ReleaseX): a strategic-merge patch that
 * adds the owner's controller reference to an object, or deletes it by UID, with the object's
 * UID as a precondition so a replaced object is never touched.
 */
import type { ControllerContext } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The reference a controller puts on what it creates or adopts (controller and blockOwnerDeletion). */
export function controllerRef(owner: Obj): Obj {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** `base` is the API group-version path ("/api/v1", "/apis/apps/v1"); true when the patch applied. */
export function patchControllerRef(ctx: ControllerContext, base: string, resource: string, obj: Obj, owner: Obj, action: 'adopt' | 'release'): boolean {
  const refs = action === 'adopt' ? [controllerRef(owner)] : [{ $patch: 'delete', uid: owner.metadata.uid }];
  const res = ctx.request({
    method: 'PATCH',
    path: `${base}/namespaces/${obj.metadata.namespace}/${resource}/${obj.metadata.name}`,
    contentType: 'application/strategic-merge-patch+json',
    body: { metadata: { ownerReferences: refs, uid: obj.metadata.uid } },
  });
  return res.status === 200;
}
