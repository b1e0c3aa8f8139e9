// pm2 ecosystem for smcp in production: `pm2 start ecosystem.config.js --env production`.
// pm2 reads this file with require(); in a "type": "module" package only a named `apps` export works.
export const apps = [
  {
    name: 'smcp',
    script: 'bin/smcp',
    args: 'start --foreground',
    interpreter: 'node',
    // One process: one pidfile, one admin socket, one state writer. Scale out with --stateless instances.
    exec_mode: 'fork',
    instances: 1,
    // smcp sends 'ready' once it listens; pm2 waits for it before calling the app online.
    wait_ready: true,
    listen_timeout: 15000,
    // Longer than smcp's 30 s drain deadline, so in-flight calls finish before pm2 sends SIGKILL.
    kill_timeout: 35000,
    merge_logs: true,
    time: true,
    env: {
      NODE_ENV: 'development',
    },
    env_production: {
      NODE_ENV: 'production',
    },
  },
];
