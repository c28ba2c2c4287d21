import { describe, expect, it } from 'vitest';
import { hostDirname, movingVmPath, removeFileCommand } from './host-paths';

describe('host paths', () => {
  it('keep the separator of the machine folder they are built on', () => {
    expect(movingVmPath('/home/me/VirtualBox VMs', 'dc', 'web')).toBe('/home/me/VirtualBox VMs/dcod-dc-web.ova');
    expect(movingVmPath('C:\\Users\\me\\VirtualBox VMs\\', 'dc', 'web')).toBe('C:\\Users\\me\\VirtualBox VMs\\dcod-dc-web.ova');
  });

  it('remove a file with the command of the host the path is from', () => {
    expect(removeFileCommand('/home/me/VirtualBox VMs/dcod-dc-web.ova')).toEqual(['rm', '-f', '--', '/home/me/VirtualBox VMs/dcod-dc-web.ova']);
    expect(removeFileCommand('C:\\Users\\me\\dcod-dc-web.ova')).toEqual(['cmd', '/d', '/c', 'del', '/f', '/q', 'C:\\Users\\me\\dcod-dc-web.ova']);
    expect(removeFileCommand('d:/vms/dcod-dc-web.ova')[0]).toBe('cmd');
  });

  it('find the folder of a file whichever separator the host uses', () => {
    expect(hostDirname('C:\\Users\\me\\a.ova')).toBe('C:\\Users\\me');
    expect(hostDirname('/home/me/a.ova')).toBe('/home/me');
    expect(hostDirname('a.ova')).toBe('');
  });
});
