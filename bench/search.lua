-- wrk script: every request another query from a file of search paths (one a line, e.g. /api/v1/search?q=%E6%8A%95%E8%B5%84),
-- cycling through the file; each thread starts at its own offset, so the connections do not ask the same query at once.
--   wrk -t2 -c32 -d10s --latency -s bench/search.lua http://127.0.0.1:5391 -- bench/.work/queries-v2-10000/mix.txt
-- (or SEARCH_PATHS=FILE instead of "-- FILE"). Responses are left to wrk: non-2xx/3xx answers and timeouts count as errors.

local threads = 0

function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end

local requests = {}
local next_request = 1

function init(args)
  local file = args[1] or os.getenv("SEARCH_PATHS")
  if not file then
    error("search.lua needs a file of search paths: wrk ... -s search.lua URL -- FILE")
  end
  for line in io.lines(file) do
    if line:match("^/") then
      requests[#requests + 1] = wrk.format("GET", line)
    end
  end
  if #requests == 0 then
    error("search.lua: no paths in " .. file)
  end
  -- golden-ratio offsets spread any number of threads over the file
  next_request = math.floor(#requests * ((index or 0) * 0.6180339887 % 1)) + 1
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end
