/** Free TCP ports on loopback, for servers that cannot pick their own (one implementation, the emulator's). */
export { freePort } from '../../emulator/loopback-ports';
