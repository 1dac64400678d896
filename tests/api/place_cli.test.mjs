// The `continuum place` contract (issue 4, docs/placement.md): exit status, messages naming the
// path of every problem, no output file on bad input, the result's shape, determinism, and
// replay of random bytes (never a crash).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { BIN } from '../lib/server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'continuum-place-'));

function place(instance, ...args) {
  const input = join(dir, 'in.json');
  const output = join(dir, `out-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(input, typeof instance === 'string' || Buffer.isBuffer(instance) ? instance : JSON.stringify(instance));
  const r = spawnSync(BIN, ['place', '--in', input, '--out', output, ...args], { encoding: 'utf8' });
  const result = existsSync(output) ? JSON.parse(readFileSync(output, 'utf8')) : null;
  return { status: r.status, stderr: r.stderr, result };
}

const P = (id, capacity, extra = {}) => ({ id, capacity, degree: '1D', site: 'Rhone', discipline: 'polyvalent', ...extra });
const S = (id, priority, wishes, extra = {}) => ({ id, degree: '1D', site: 'Rhone', discipline: 'polyvalent', priority, wishes, ...extra });

test('a valid instance: stable by default, the contract shape, the same result twice', () => {
  const inst = { places: [P('P1', 1), P('P2', 1)], students: [S('A', 2, ['P1', 'P2']), S('B', 1, ['P1'])] };
  const a = place(inst);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stderr, '');
  assert.deepEqual(a.result, {
    method: 'stable',
    assignments: [{ student: 'A', place: 'P1', rank: 1 }],
    unassigned: ['B'],
    stats: { students: 2, placed: 1, rank_sum: 1, rank_profile: [1, 0], proposals: 2 },
  });
  const o = place(inst, '--method', 'optimal', '--explain');
  assert.equal(o.status, 0, o.stderr);
  assert.deepEqual(o.result.assignments, [{ student: 'A', place: 'P2', rank: 2 }, { student: 'B', place: 'P1', rank: 1 }]);
  assert.deepEqual(o.result.explanations, [{
    student: 'A',
    better_wishes: [{ place: 'P1', rank: 1, reason: 'trade', capacity: 1, delta_placed: -1, delta_rank_sum: -2,
      displaced: { student: 'B', from_rank: 1, to_rank: 0 } }],
  }]);
  assert.deepEqual(place(inst, '--method', 'optimal', '--explain').result, o.result);
  const l = place(inst, '--lottery', '7', '--explain');
  assert.equal(l.result.lottery, 7);
  assert.deepEqual(l.result.explanations, [{
    student: 'B', better_wishes: [{ place: 'P1', rank: 1, reason: 'full', capacity: 1, cutoff_priority: 2, tie_break: false }],
  }]);
});

test('bad input: exit 1, one message per problem with its path, no file written', () => {
  const inst = {
    places: [P('P1', 2.5), P('P2', '2'), P('P3', null), P('P1', 1), P('P4', -1, { degree: '3D' }), P('P5', 1, { site: '' }),
      { id: 'P6', capacity: 1, degree: '2D', site: 'Ain', discipline: 'lettres' }],
    students: [S('S1', 0, ['P99', 'P6', 'P5', 'P5']), S('S1', 1, []), S('S3', 4294967296, ['P5']), { id: 'S4' }],
  };
  const r = place(inst);
  assert.equal(r.status, 1);
  assert.equal(r.result, null);
  const lines = r.stderr.trim().split('\n');
  for (const want of [
    'places[0].capacity : nombre entier de 0 à 2147483647 attendu',
    'places[1].capacity : nombre entier de 0 à 2147483647 attendu',
    'places[2].capacity : nombre entier de 0 à 2147483647 attendu',
    'places[3].id : identifiant déjà pris par places[0] : « P1 »',
    'places[4].capacity : nombre entier de 0 à 2147483647 attendu',
    'places[4].degree : « 1D » ou « 2D » attendu, pas « 3D »',
    'places[5].site : chaîne vide',
    'students[0].wishes[0] : lieu inconnu « P99 »',
    'students[0].wishes[1] : lieu d\'un autre degré ou d\'une autre discipline (2D, lettres ; l\'étudiant : 1D, polyvalent) : « P6 »',
    'students[0].wishes[2] : lieu refusé plus haut (places[5]) : « P5 »',
    'students[0].wishes[3] : vœu en double (déjà wishes[2]) : « P5 »',
    'students[1].id : identifiant déjà pris par students[0] : « S1 »',
    'students[2].priority : nombre entier de 0 à 2147483647 attendu',
    'students[3] : champ manquant « degree »',
  ]) assert.ok(lines.includes(want), `missing "${want}" in:\n${r.stderr}`);
  assert.match(lines.at(-1), /instance refusée/);
});

test('unreadable, non-UTF-8, invalid JSON, usage errors', () => {
  const missing = spawnSync(BIN, ['place', '--in', join(dir, 'nope.json'), '--out', join(dir, 'x.json')], { encoding: 'utf8' });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /impossible de lire/);
  assert.equal(existsSync(join(dir, 'x.json')), false);
  const latin1 = place(Buffer.from('{"places":[],"students":[{"id":"\xe9"}]}', 'latin1'));
  assert.equal(latin1.status, 1);
  assert.match(latin1.stderr, /ligne 1, colonne 33 : le texte n'est pas en UTF-8 valide/);
  const truncated = place('{"places":[');
  assert.equal(truncated.status, 1);
  assert.match(truncated.stderr, /JSON invalide/);
  const method = spawnSync(BIN, ['place', '--in', 'a', '--out', 'b', '--method', 'best'], { encoding: 'utf8' });
  assert.equal(method.status, 2);
  assert.match(method.stderr, /méthode inconnue « best »/);
  const seed = spawnSync(BIN, ['place', '--in', 'a', '--out', 'b', '--lottery', '-1'], { encoding: 'utf8' });
  assert.equal(seed.status, 2);
});

test('random bytes and mangled instances never crash', () => {
  const good = JSON.stringify({ places: [P('P1', 1), P('P2', 3)], students: [S('A', 2, ['P1', 'P2']), S('B', 1, ['P2', 'P1'])] });
  for (let i = 0; i < 60; i++) {
    let input;
    if (i % 2) {
      input = randomBytes(1 + (i * 37) % 400);
    } else {
      const b = Buffer.from(good);
      for (let k = 0; k < 3; k++) b[(i * 131 + k * 17) % b.length] = (i * 7 + k) % 256;
      input = b;
    }
    const r = place(input, '--method', i % 4 < 2 ? 'stable' : 'optimal', '--explain');
    assert.ok(r.status === 0 || r.status === 1, `status ${r.status}: ${r.stderr}`);
    assert.ok(r.status === 0 ? r.result !== null : r.result === null);
  }
});
