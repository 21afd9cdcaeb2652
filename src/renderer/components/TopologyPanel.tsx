import type { SessionInfo } from '../../shared';

/** The topology's place: one lane per node of the cluster. Pods and edges arrive with issue #12. */
export function TopologyPanel({ info }: { info: SessionInfo | undefined }) {
  return (
    <section className="panel" aria-labelledby="topology-title">
      <h2 id="topology-title">Topology</h2>
      <ul className="lanes" data-testid="topology">
        {(info?.nodes ?? []).map((node) => (
          <li key={node.name} className="lane">
            <span className="lane-name">{node.name}</span>
            <span className="lane-role">{node.role}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
