import { describe, expect, it } from 'vitest';
import { classifyVBoxError, parseVBoxManageStderr, dcodErrorOf } from './error';
import { parseFixture } from './fixtures.testkit';

const stderr = (text: string) => parseVBoxManageStderr(text);

describe('parseVBoxManageStderr', () => {
  it('machine not found (7.2.20 Windows, CRLF)', () => {
    const { error, warnings } = parseFixture('win-7.2.20-error-showvminfo-vm-not-found.stderr.txt', stderr);
    expect(warnings).toEqual([]);
    expect(error).toEqual({
      message: "Could not find a registered machine named 'no-such-vm'",
      resultCode: 'VBOX_E_OBJECT_NOT_FOUND',
      hresult: 0x80bb0001,
      component: 'VirtualBoxWrap',
      interface: 'IVirtualBox',
      callee: 'IUnknown',
      context: 'FindMachine(Bstr(VMNameOrUuid).raw(), machine.asOutParam())',
      sourceLine: 3249,
      sourceFile: 'VBoxManageInfo.cpp',
      canceled: false,
      code: 'VM_NOT_FOUND',
      retryable: false,
    });
  });

  it('poweroff of a VM that is not running: a message without Details (7.2.20, CRLF)', () => {
    const { error } = parseFixture('win-7.2.20-error-controlvm-poweroff-not-running.stderr.txt', stderr);
    expect(error).toEqual({ message: "Machine 'pleiades-probe' is not currently running.", canceled: false, code: 'INVALID_STATE', retryable: false });
  });

  it.each([
    ['error-startvm-locked-by-session-windows-2024-ansible-for-devops-581.stderr.txt', "The machine 'BashScripts_scriptbox_1711194524335_50351' is already locked by a session (or being locked or unlocked)", 'MachineWrap', 881, 'VBoxManageMisc.cpp'],
    ['error-startvm-locked-by-session-linux-2023-GOAD-126.stderr.txt', "The machine 'DC01' is already locked by a session (or being locked or unlocked)", 'MachineWrap', 726, 'VBoxManageMisc.cpp'],
    ['error-modifyvm-locked-for-session-2013-packer-184.stderr.txt', "The machine 'packer-centos-6_4-64-hdp' is already locked for a session (or being unlocked)", 'Machine', 425, 'VBoxManageModifyVM.cpp'],
    ['error-sharedfolder-locked-for-session-linux-2015-kalabox-212.stderr.txt', "The machine 'Kalabox2' is already locked for a session (or being unlocked)", 'Machine', 1002, 'VBoxManageMisc.cpp'],
    ['error-storagectl-locked-for-session-5.2.10-linux-metasploitable3-285.stderr.txt', "The machine 'metasploitable3-win2k8' is already locked for a session (or being unlocked)", 'MachineWrap', 1048, 'VBoxManageStorageController.cpp'],
  ])('session lock is VM_LOCKED and retryable: %s', (name, message, component, line, file) => {
    const { error } = parseFixture(name, stderr);
    expect(error).toMatchObject({ message, resultCode: 'VBOX_E_INVALID_OBJECT_STATE', hresult: 0x80bb0007, component, interface: 'IMachine', sourceLine: line, sourceFile: file, code: 'VM_LOCKED', retryable: true });
  });

  it('undoes the 80-column hard wraps of a Windows console and reads the old "Code" line', () => {
    const { error } = parseFixture('error-modifyvm-E_FAIL-windows-console-wrapped-80col-vagrant-7924.txt', stderr);
    expect(error).toEqual({
      message: 'Unspecified error (extended info not available)',
      resultCode: 'E_FAIL',
      hresult: 0x80004005,
      context: 'LockMachine(a->session, LockType_Write)',
      sourceLine: 507,
      sourceFile: 'VBoxManageModifyVM.cpp',
      canceled: false,
      code: 'VBOX_ERROR',
      retryable: false,
    });
  });

  it('a cancelled export: progress ending in CANCELED, file error, truncated Context', () => {
    const { error } = parseFixture('error-export-canceled-VBOX_E_FILE_ERROR-windows-2017-metasploitable3-95-FRAGMENT.txt', stderr);
    expect(error).toEqual({
      message: 'Appliance write failed\nFile not accessible or erroneous file contents',
      resultCode: 'VBOX_E_FILE_ERROR',
      hresult: 0x80bb0004,
      component: 'ApplianceWrap',
      interface: 'IAppliance',
      canceled: true,
      code: 'FILE_ERROR',
      retryable: false,
    });
  });

  it('a missing host interface, reported with NS_ERROR_FAILURE', () => {
    const { error } = parseFixture('error-startvm-nonexistent-host-interface-2014-bsdploy-42.stderr.txt', stderr);
    expect(error).toMatchObject({ message: "Nonexistent host networking interface, name '' (VERR_INTERNAL_ERROR)", resultCode: 'NS_ERROR_FAILURE', component: 'Console', code: 'HOST_INTERFACE_MISSING' });
  });

  it('a warning is not an error, but classifies the same way', () => {
    const result = parseFixture('warning-modifyvm-bridged-interface-missing-7.0.6-linux.txt', stderr);
    expect(result).toEqual({ error: undefined, warnings: ['Interface "eth0" doesn\'t seem to exist'] });
    expect(classifyVBoxError(undefined, result.warnings[0]!)).toEqual({ code: 'HOST_INTERFACE_MISSING', retryable: false });
  });

  it('keeps unprefixed lines that are not wraps as separate lines', () => {
    const { error } = stderr('VBoxManage: error: short line\nsecond part\n');
    expect(error?.message).toBe('short line\nsecond part');
    expect(parseVBoxManageStderr(`VBoxManage: error: ${'x'.repeat(61)}\nrest\n`, { wrapWidth: 0 }).error?.message).toBe(`${'x'.repeat(61)}\nrest`);
  });

  it('maps other result codes through the rule table', () => {
    expect(classifyVBoxError('VBOX_E_INVALID_VM_STATE', 'whatever')).toEqual({ code: 'INVALID_STATE', retryable: false });
    expect(classifyVBoxError('VBOX_E_OBJECT_NOT_FOUND', "Could not find a snapshot named 'x'")).toEqual({ code: 'NOT_FOUND', retryable: false });
    expect(classifyVBoxError('VBOX_E_INVALID_OBJECT_STATE', 'Medium is locked for writing')).toEqual({ code: 'INVALID_STATE', retryable: false });
    expect(classifyVBoxError('E_ACCESSDENIED', 'nope')).toEqual({ code: 'VBOX_ERROR', retryable: false });
  });

  it('turns a parsed error into a throwable DcodError', () => {
    const { error } = stderr("VBoxManage: error: The machine 'x' is already locked for a session (or being unlocked)\nVBoxManage: error: Details: code VBOX_E_INVALID_OBJECT_STATE (0x80bb0007), component Machine, interface IMachine\n");
    const e = dcodErrorOf(error!, ['starting VM "x"']);
    expect(e).toMatchObject({ code: 'VM_LOCKED', retryable: true, context: ['starting VM "x"'] });
    expect(e.message).toBe("The machine 'x' is already locked for a session (or being unlocked) (VBOX_E_INVALID_OBJECT_STATE)");
  });

  it('finds nothing in clean output', () => {
    expect(stderr('')).toEqual({ error: undefined, warnings: [] });
  });
});
