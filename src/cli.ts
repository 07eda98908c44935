/**
 * The command line: declarations only. Each command's module is imported when it
 * runs, so `validate` never loads exceljs. One catch at the top turns known
 * failures into one clear message and an exit code.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help, Option } from 'commander';
import { ExitCode, ReportError } from './diagnostics.js';
import { getLang, setLang, t } from './messages/index.js';
import { processIo } from './io.js';
import { packagePath } from './paths.js';

// `npm run report -- …` runs in the project's folder; paths on the command line are the clerk's, from where npm was started.
if (process.env.npm_lifecycle_event === 'report' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

// Output piped into `head` or a window closed early: the reader has gone, so stop quietly.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

// Language first: option descriptions and errors are rendered with it.
const langArg = process.argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
if (langArg >= 0) setLang(process.argv[langArg]!.includes('=') ? process.argv[langArg]!.split('=')[1] : process.argv[langArg + 1]);

const program = new Command('report');
const campaignOption = () => new Option('--campaign <file>', t('cli/opt-campaign'));
/** --previous FILE, as often as given: earlier rounds (src/history). */
const previousOption = () => new Option('--previous <xlsx>', t('cli/opt-previous')).argParser((value: string, given: string[] | undefined) => [...(given ?? []), value]);

program
  .description(t('cli/description'))
  .version(readVersion(), '-V, --version', t('cli/opt-version'))
  .helpOption('-h, --help', t('cli/opt-help'))
  .helpCommand(false)
  .addOption(new Option('--lang <lang>', t('cli/opt-lang')).choices(['zh', 'en']))
  .showHelpAfterError(false)
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(translateCommanderError(text)) })
  .configureHelp({ formatHelp: (cmd, helper) => localiseHelp(Help.prototype.formatHelp.call(helper, cmd, helper)) });

program
  .command('init')
  .description(t('cli/init'))
  .argument('[department]', t('cli/arg-department'))
  .option('--all', t('cli/opt-all'))
  .option('--out <dir>', t('cli/opt-out-dir'))
  .addOption(new Option('--format <format>', t('cli/opt-format')).choices(['yaml', 'xlsx']).default('yaml'))
  .addOption(campaignOption())
  .action(async (department: string | undefined, options) => {
    const { init } = await import('./commands/init.js');
    return finish(await init({ ...options, department }, processIo));
  });

program
  .command('validate')
  .description(t('cli/validate'))
  .argument('<file...>', t('cli/arg-files'))
  .option('--json', t('cli/opt-json'))
  .option('--strict', t('cli/opt-strict-validate'))
  .addOption(campaignOption())
  .addOption(previousOption())
  .action(async (files: string[], options) => {
    const { validate } = await import('./commands/validate.js');
    return finish(await validate({ ...options, files }, processIo));
  });

program
  .command('schema')
  .description(t('cli/schema'))
  .option('--out <file>', t('cli/opt-out-schema'))
  .option('--force', t('cli/opt-force'))
  .addOption(campaignOption())
  .action(async (options) => {
    const { schema } = await import('./commands/schema.js');
    return finish(await schema(options, processIo));
  });

/** The bureau's commands read a folder of submissions at a moment. */
const folderOptions = (command: Command) =>
  command.option('--dir <dir>', t('cli/opt-dir'), 'data/submissions').option('--as-of <time>', t('cli/opt-as-of')).addOption(campaignOption())
    .addOption(previousOption());

folderOptions(program.command('status').description(t('cli/status')))
  .option('--json', t('cli/opt-json'))
  .option('--remind', t('cli/opt-remind'))
  .option('--all', t('cli/opt-all-rows'))
  .option('--ascii', t('cli/opt-ascii'))
  .action(async (options) => {
    const { status } = await import('./commands/status.js');
    return finish(await status(options, processIo));
  });

/** merge and pack write from a folder: the template, where to, and when to refuse. */
const writeOptions = (command: Command, out: string, outHelp: string, strictHelp: string) =>
  folderOptions(command)
    .option('--template <xlsx>', t('cli/opt-template'))
    .option(out, outHelp)
    .option('--force', t('cli/opt-force'))
    .option('--strict', strictHelp)
    .option('--skip-unknown', t('cli/opt-skip-unknown'));

writeOptions(program.command('merge').description(t('cli/merge')), '--out <file>', t('cli/opt-out-file'), t('cli/opt-strict-merge')).action(async (options) => {
  const { merge } = await import('./commands/merge.js');
  return finish(await merge(options, processIo));
});

writeOptions(program.command('pack').description(t('cli/pack')), '--out <dir>', t('cli/opt-out-package'), t('cli/opt-strict-pack'))
  .argument('[submission]', t('cli/arg-submission'))
  .option('--seal', t('cli/opt-seal'))
  .action(async (submission: string | undefined, options) => {
    const { pack } = await import('./commands/pack.js');
    return finish(await pack(submission, options, processIo));
  });

program
  .command('serve')
  .description(t('cli/serve'))
  .option('--dir <dir>', t('cli/opt-dir'), 'data/submissions')
  .option('--host <host>', t('cli/opt-host'), '127.0.0.1')
  .option('--port <port>', t('cli/opt-port'), '8080')
  .option('--cert <pem>', t('cli/opt-cert'))
  .option('--key <pem>', t('cli/opt-key'))
  .option('--out <dir>', t('cli/opt-out-serve'), 'out')
  .option('--contact <text>', t('cli/opt-contact'))
  .option('--reissue <names>', t('cli/opt-reissue'))
  .option('--revoke <names>', t('cli/opt-revoke'))
  .option('--department-limit <GB>', t('cli/opt-department-limit'), '20')
  .addOption(campaignOption())
  .action(async (options) => {
    const { serve } = await import('./commands/serve.js');
    return finish(await serve(options, processIo));
  });

function readVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}

function finish(code: ExitCode) {
  process.exitCode = code;
}

/** Commander's own errors, in the user's language. */
function translateCommanderError(text: string): string {
  if (getLang() === 'en') return text;
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/unknown option '([^']+)'(?:\n\(Did you mean (.+)\?\))?/, (m) => t('cli/unknown-option', { option: m[1]!, hint: m[2] ? t('cli/did-you-mean', { suggestion: m[2] }) : '' })],
    [/unknown command '([^']+)'(?:\n\(Did you mean (.+)\?\))?/, (m) => t('cli/unknown-command', { command: m[1]!, hint: m[2] ? t('cli/did-you-mean', { suggestion: m[2] }) : '' })],
    [/missing required argument '([^']+)'/, (m) => t('cli/missing-argument', { argument: m[1]! })],
    [/option '([^']+)' argument missing/, (m) => t('cli/missing-option-value', { option: m[1]! })],
    [/too many arguments/, () => t('cli/too-many-arguments')],
    [/option '([^']+)' argument '([^']+)' is invalid/, (m) => t('cli/invalid-option-value', { option: m[1]!, value: m[2]! })],
  ];
  for (const [pattern, render] of rules) {
    const m = pattern.exec(text);
    if (m) return `${render(m)}\n${t('cli/see-help')}\n`;
  }
  return text;
}

function localiseHelp(text: string): string {
  if (getLang() === 'en') return text;
  return text.replace(/^Usage:/m, '用法：').replace(/^Options:/m, '选项：').replace(/^Commands:/m, '命令：').replace(/^Arguments:/m, '参数：')
    .replace(/\(default: ([^)]*)\)/g, '（默认：$1）').replace(/\(choices: ([^)]*)\)/g, '（可选：$1）');
}

program.parseAsync(process.argv).catch(async (error: unknown) => {
  process.exitCode = await handleFailure(error);
});

/** The one catch: known failures print clearly; only a real bug shows a stack. */
async function handleFailure(error: unknown): Promise<number> {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage;
  }
  if (error instanceof ReportError) {
    const { formatDiagnostics } = await import('./reporters/diagnostics.js');
    for (const detail of error.details) if (detail.diagnostics.length) processIo.stderr(formatDiagnostics(detail));
    processIo.stderr(error.message);
    return error.exitCode;
  }
  processIo.stderr(`${t('internal/bug')}\n${(error as Error)?.stack ?? String(error)}`);
  return ExitCode.internal;
}
