import { main } from '../../engine/cli/main';

// `unimap validate --strict` means something only if the shipped definitions pass it: any warning fails this test.
test('the shipped definitions are clean under validate --strict', async () => {
  let err = '';
  const code = await main(['validate', '--strict'], { out: () => undefined, err: (t) => (err += `${t}\n`) });
  expect(err).toBe('');
  expect(code).toBe(0);
});
