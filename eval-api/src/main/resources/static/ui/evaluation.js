// Live progress of the evaluation page: reads GET /evaluations/{id} every two seconds until the evaluation ends.
(function () {
  const main = document.getElementById('evaluation');
  if (!main) {
    return;
  }
  const id = main.dataset.id;
  const terminal = new Set(['succeeded', 'failed', 'cancelled']);

  function text(row, selector, value) {
    const cell = row.querySelector(selector);
    if (cell) {
      cell.textContent = value;
    }
  }

  function render(evaluation) {
    const state = document.getElementById('state');
    state.textContent = evaluation.state;
    state.className = 'state ' + evaluation.state;
    document.getElementById('error').textContent = evaluation.error || '';
    for (const task of evaluation.tasks) {
      const row = main.querySelector('tr[data-task="' + CSS.escape(task.name) + '"]');
      if (!row) {
        continue;
      }
      const p = task.progress || {};
      text(row, '.task-state', task.state);
      text(row, '.task-phase', p.phase || '');
      text(row, '.task-done', p.done + ' / ' + (p.total == null ? '?' : p.total));
      text(row, '.task-rate', p.rate == null ? '' : p.rate.toFixed(2) + '/s');
      text(row, '.task-eta', p.eta || '');
      const fill = row.querySelector('.progress-fill');
      fill.style.width = (p.total ? Math.round(100 * p.done / p.total) : 0) + '%';
      text(row, '.task-metrics', (task.metrics || []).map(m =>
        m.metric + (m.filter === 'none' ? '' : ' (' + m.filter + ')') + ' ' + m.value.toFixed(4)).join('  '));
    }
    document.getElementById('updated').textContent = terminal.has(evaluation.state)
      ? 'The evaluation has ended.'
      : 'Live: updated ' + new Date().toLocaleTimeString() + '.';
    return terminal.has(evaluation.state);
  }

  async function poll() {
    try {
      const response = await fetch('/evaluations/' + encodeURIComponent(id), {headers: {Accept: 'application/json'}});
      if (response.ok && render(await response.json())) {
        return;
      }
    } catch (e) {
      document.getElementById('updated').textContent = 'Live updates paused: ' + e.message;
    }
    setTimeout(poll, 2000);
  }

  setTimeout(poll, 2000);
})();
