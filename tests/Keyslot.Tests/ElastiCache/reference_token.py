# Independent reference for the ElastiCache IAM token known-answer tests (Python's hmac/hashlib/urllib only).
import hmac,hashlib,urllib.parse
def h(k,m): return hmac.new(k,m.encode(),hashlib.sha256).digest()
def token(cache,user,region,ak,sk,st,ts,serverless=False):
    date=ts[:8]; scope=f"{date}/{region}/elasticache/aws4_request"
    p={"Action":"connect","User":user,"X-Amz-Algorithm":"AWS4-HMAC-SHA256","X-Amz-Credential":f"{ak}/{scope}","X-Amz-Date":ts,"X-Amz-Expires":"900","X-Amz-SignedHeaders":"host"}
    if serverless: p["ResourceType"]="ServerlessCache"
    if st: p["X-Amz-Security-Token"]=st
    q="&".join(f"{urllib.parse.quote(k,safe='-_.~')}={urllib.parse.quote(v,safe='-_.~')}" for k,v in sorted(p.items()))
    host=cache.lower()
    cr=f"GET\n/\n{q}\nhost:{host}\n\nhost\n"+hashlib.sha256(b"").hexdigest()
    sts=f"AWS4-HMAC-SHA256\n{ts}\n{scope}\n"+hashlib.sha256(cr.encode()).hexdigest()
    k=h(("AWS4"+sk).encode(),date); k=h(k,region); k=h(k,"elasticache"); k=h(k,"aws4_request")
    return f"{host}/?{q}&X-Amz-Signature="+hmac.new(k,sts.encode(),hashlib.sha256).hexdigest()
print(token("My-Cache","app-user","us-east-1","AKIDEXAMPLE","wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",None,"20261202T120000Z"))
print(token("orders-cache","iam user/1","eu-west-2","ASIAEXAMPLE","secret+with/chars=","FwoGZXIvYXdzE+token/with=chars","20261202T235959Z",serverless=True))
