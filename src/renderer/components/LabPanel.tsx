/** The lab panel's place: the course tree and steps arrive with the lab engine. */
export function LabPanel() {
  return (
    <section className="panel" aria-labelledby="labs-title">
      <h2 id="labs-title">Labs</h2>
      <div className="empty">
        <p>No labs are installed in this build yet.</p>
        <p>Use the terminal to explore the cluster: try <code>kubectl get nodes</code>.</p>
      </div>
    </section>
  );
}
