-- A real non-VS Code LSP client: Neovim 0.7 (no vim.lsp.start yet) starts the server, opens one
-- file, waits for its diagnostics, asks for a hover, writes what it got as JSON and quits.
-- Everything comes from the environment, set by neovim.test.ts:
--   AGENTGOV_SERVER_CMD  JSON array, the server command
--   AGENTGOV_ROOT        workspace folder
--   AGENTGOV_FILE        file to open
--   AGENTGOV_HOVER       JSON {line, character} (LSP, 0-based, UTF-16) to hover at, optional
--   AGENTGOV_OUT         JSON file to write
--   AGENTGOV_TIMEOUT_MS  how long to wait for diagnostics

local result = { diagnostics = {}, timed_out = false }

local function write_result()
  local f = assert(io.open(vim.env.AGENTGOV_OUT, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local function run()
  local cmd = vim.fn.json_decode(vim.env.AGENTGOV_SERVER_CMD)
  local root = vim.env.AGENTGOV_ROOT
  local timeout = tonumber(vim.env.AGENTGOV_TIMEOUT_MS or '10000')

  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.AGENTGOV_FILE))
  local bufnr = vim.api.nvim_get_current_buf()

  local client_id = vim.lsp.start_client({
    name = 'agentgov',
    cmd = cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
    settings = { agentgov = { diagnosticsDelay = 0 } },
    on_exit = function(code, signal)
      result.server_exit = { code = code, signal = signal }
    end,
  })
  result.client_id = client_id
  if not client_id then
    error('vim.lsp.start_client failed')
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local ok = vim.wait(timeout, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 20)
  result.timed_out = not ok
  result.diagnostics = vim.diagnostic.get(bufnr)

  if vim.env.AGENTGOV_HOVER and vim.env.AGENTGOV_HOVER ~= '' then
    local position = vim.fn.json_decode(vim.env.AGENTGOV_HOVER)
    local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = position }
    local answers = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, timeout)
    local answer = answers and answers[client_id]
    result.hover = answer and answer.result and answer.result.contents or vim.NIL
  end

  vim.lsp.stop_client(client_id, true)
end

local ok, err = pcall(run)
if not ok then
  result.error = tostring(err)
end
write_result()
vim.cmd(ok and 'qall!' or 'cquit!')
