import { describe, expect, it } from 'vitest';
import {
  CommandError,
  computeCommand,
  DEFAULT_PATH,
  type ImageRuntimeConfig,
  type JobOverrides,
} from './docker-semantics.js';

const image: ImageRuntimeConfig = {
  Entrypoint: ['/bin/bench'],
  Cmd: ['--iterations', '10'],
  Env: ['PATH=/usr/bin:/bin', 'MODE=image', 'EMPTY', 'EQ=a=b'],
  WorkingDir: '/app',
  User: '1000:1000',
};

describe('computeCommand', () => {
  it.each<[string, ImageRuntimeConfig | undefined, JobOverrides, string[]]>([
    ['image entrypoint + cmd', image, {}, ['/bin/bench', '--iterations', '10']],
    ['job cmd replaces image cmd', image, { cmd: ['--quick'] }, ['/bin/bench', '--quick']],
    ['entrypoint override clears image cmd', image, { entrypoint: ['/bin/sh'] }, ['/bin/sh']],
    [
      'entrypoint override + job cmd',
      image,
      { entrypoint: ['/bin/sh', '-c'], cmd: ['echo'] },
      ['/bin/sh', '-c', 'echo'],
    ],
    ['cmd only image', { Cmd: ['/bin/sh', '-c', 'true'] }, {}, ['/bin/sh', '-c', 'true']],
    ['cmd only image, job cmd', { Cmd: ['/bin/sh'] }, { cmd: ['/bin/true'] }, ['/bin/true']],
    ['empty entrypoint override falls to job cmd', image, { entrypoint: [], cmd: ['/x'] }, ['/x']],
    ['null fields', { Entrypoint: null, Cmd: ['a'] }, {}, ['a']],
    ['no image config', undefined, { cmd: ['/bin/x'] }, ['/bin/x']],
  ])('%s', (_name, config, job, argv) => {
    expect(computeCommand(config, job).argv).toEqual(argv);
  });

  it('refuses an empty command', () => {
    expect(() => computeCommand({}, {})).toThrow(CommandError);
    expect(() => computeCommand(image, { entrypoint: [] })).toThrow(CommandError);
  });

  it('merges env image first, then job', () => {
    const { env } = computeCommand(image, { env: { MODE: 'job', EXTRA: '1' } });
    expect(env).toEqual({ PATH: '/usr/bin:/bin', MODE: 'job', EMPTY: '', EQ: 'a=b', EXTRA: '1' });
  });

  it('adds Docker default PATH only when none is set', () => {
    expect(computeCommand({ Cmd: ['x'] }).env).toEqual({ PATH: DEFAULT_PATH });
    expect(computeCommand({ Cmd: ['x'] }, { env: { PATH: '/opt' } }).env.PATH).toBe('/opt');
  });

  it('takes the working dir from the image, job, or /', () => {
    expect(computeCommand(image).workingDir).toBe('/app');
    expect(computeCommand(image, { workingDir: '/data' }).workingDir).toBe('/data');
    expect(computeCommand({ Cmd: ['x'] }).workingDir).toBe('/');
    expect(computeCommand({ Cmd: ['x'], WorkingDir: '' }).workingDir).toBe('/');
    expect(computeCommand({ Cmd: ['x'], WorkingDir: 'rel/../dir' }).workingDir).toBe('/dir');
  });

  it('passes the user through', () => {
    expect(computeCommand(image).user).toBe('1000:1000');
    expect(computeCommand({ Cmd: ['x'] }).user).toBeUndefined();
    expect(computeCommand(image, { user: 'root' }).user).toBe('root');
  });
});
