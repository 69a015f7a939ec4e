-- bench/relay-load.lua: the wrk script of bench/relay-load.sh, one route per run.
--
--   wrk -t2 -c50 -d10s --latency -s bench/relay-load.lua URL -- MODE DATA THREADS [BODY]
--
-- MODE   health | list | fetch | fetch-old | send | ack
-- DATA   a file of lines "TOKEN [ARG]": ARG is the message id (fetch, ack) or the recipient (send)
-- BODY   the file sent as each message (send)
--
-- Every request of a run is built once, in init(); request() goes round them. A connection of
-- thread T takes lines T, T+THREADS, ... for ack (each message is acknowledged once: when a
-- thread has none left it stops, so an ack run may end before the duration) and all lines
-- otherwise. Only the route's success status counts as "ok" (200; 201 for send, 204 for ack).
-- done() prints one line "RESULT key=value ..." that relay-load.sh reads.

local threads = {}
local count = 0

function setup(thread)
   thread:set("index", count)
   count = count + 1
   table.insert(threads, thread)
end

local mode
local reqs = {}
local pos = 0
local expect = 200
ok = 0
bad = 0

function init(args)
   mode = args[1]
   local nthreads = tonumber(args[3])
   local body
   if mode == "send" then
      local f = assert(io.open(args[4], "rb"))
      body = f:read("*a")
      f:close()
      expect = 201
   elseif mode == "ack" then
      expect = 204
   end
   local i = 0
   for line in io.lines(args[2]) do
      local token, arg = line:match("^(%S+)%s*(%S*)$")
      if token and (mode ~= "ack" or i % nthreads == index) then
         local h = { ["Authorization"] = "Bearer " .. token }
         local r
         if mode == "health" then
            r = wrk.format("GET", "/v1/health")
         elseif mode == "list" then
            r = wrk.format("GET", "/v1/messages", h)
         elseif mode == "fetch" or mode == "fetch-old" then
            r = wrk.format("GET", "/v1/messages/" .. arg, h)
         elseif mode == "send" then
            h["Content-Type"] = "application/octet-stream"
            r = wrk.format("POST", "/v1/messages?to=" .. arg, h, body)
         elseif mode == "ack" then
            r = wrk.format("DELETE", "/v1/messages/" .. arg, h)
         else
            error("unknown mode " .. tostring(mode))
         end
         table.insert(reqs, r)
      end
      i = i + 1
   end
   if mode ~= "ack" then
      pos = (index * 7) % math.max(1, #reqs) -- threads start at different lines
   end
end

function request()
   pos = pos + 1
   if pos > #reqs then
      if mode == "ack" then
         wrk.thread:stop()                 -- every message of this thread acknowledged
         return wrk.format("GET", "/v1/health") -- not counted: 200 is not an ack's 204
      end
      pos = 1
   end
   return reqs[pos]
end

function response(status, headers, body)
   if status == expect then
      ok = ok + 1
   else
      bad = bad + 1
   end
end

function done(summary, latency, requests)
   local okall, badall = 0, 0
   for _, t in ipairs(threads) do
      okall = okall + t:get("ok")
      badall = badall + t:get("bad")
   end
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d ok=%d other_status=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d socket_errors=%d timeouts=%d\n",
      summary.requests, okall, badall, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
      e.connect + e.read + e.write, e.timeout))
end
