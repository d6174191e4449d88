import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The machine a bench ran on, recorded with every result. */
export interface MachineInfo {
  /** Logical CPUs available to this process (what `nproc` prints). */
  nproc: number;
  cpuModel: string;
  ramGb: number;
  node: string;
  platform: string;
  kernel: string;
  /** 1/5/15-minute load averages when the info was taken: other work on the machine skews every figure. */
  loadavg: number[];
}

/** Reads `nproc`, the CPU model from /proc/cpuinfo (os.cpus() as fallback), total RAM and versions. */
export function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) cpuModel = m[1].trim();
  } catch {
    // Not Linux: os.cpus() is good enough.
  }
  return {
    nproc: os.availableParallelism(),
    cpuModel,
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
