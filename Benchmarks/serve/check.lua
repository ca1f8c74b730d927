-- wrk script: POST /v1/check with varied events (accounts, texts, recipients), no two alike.
local texts = {
  "你要的邀请码发你了，72小时内有效", "兼职刷单日赚300，加V: shuadan888", "分享到朋友圈即可领取红包",
  "这本书写得很好，推荐给大家", "明天下午三点开会", "想要邀请码的加V:abc12345", "物流很快，包装完好",
}
local n = 0
request = function()
  n = n + 1
  local body = string.format(
    '{"id":"w%d","type":"send","account":"acct%d","to":["r%d"],"text":"%s"}',
    n, n % 5000, n % 977, texts[(n % #texts) + 1])
  return wrk.format("POST", "/v1/check", {["Content-Type"] = "application/json"}, body)
end
